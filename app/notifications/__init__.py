"""Delivering the notification outbox through WeChat, and every user's in-app inbox."""
