"""QR codes of houses and officers: issuing, reprinting (revoking the old one) and resolving scans."""
