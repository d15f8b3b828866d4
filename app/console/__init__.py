"""The staff console: server-rendered pages for admins, grid heads, unit leaders, joint heads and police officers,
on the same services and scopes as the API, and the big screen of live figures."""
