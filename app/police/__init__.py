"""Police contact requests: a resident scans an officer's card and asks to be called back."""
