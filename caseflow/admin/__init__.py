"""The coordinator's administration: users and reference lists."""
