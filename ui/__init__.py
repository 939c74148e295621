"""Streamlit-side helpers: caching, filters, labels, theme, figures."""
