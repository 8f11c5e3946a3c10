"""packet: printable interview packets (Word guide, one-page PDF cheat sheet, Excel scorecard) from a YAML bank."""

__version__ = "0.1.0"
