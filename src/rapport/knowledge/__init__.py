"""The knowledge base: articles staff trust and customers find before they have to ask."""
