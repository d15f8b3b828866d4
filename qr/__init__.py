"""QR codes, family letters and police contact cards, rendered without Flask or a database."""
