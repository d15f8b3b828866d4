"""Community activities: staff create them with a QR code; people check in by scanning it and earn points."""
