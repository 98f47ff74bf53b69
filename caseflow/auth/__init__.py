"""Authentication, sessions and the access decision every request goes through."""
