"""GlobalConnect core: all behaviour, never imports streamlit."""
