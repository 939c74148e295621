"""Bureau database: schema, loading and query functions (no Streamlit here)."""
