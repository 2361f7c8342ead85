"""What the privacy pages share."""

AUDIT_PAGE_SIZE = 50
