"""Pure figure builders (DataFrame in, plotly Figure or pydeck Deck out), one module per domain."""
