"""People's data: sealed fields (AES-GCM at rest), masking in answers, the audit trail, re-encryption under new keys."""
