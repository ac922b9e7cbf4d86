"""GGUF files written from the format (numpy only), for Tern's test data."""
