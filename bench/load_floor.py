"""The lightest Streamlit page a user can click, for `python -m bench.load --floor`: what the machine gives any app."""
import streamlit as st

st.title("Load floor")
clicks = st.session_state.setdefault("clicks", 0)
if st.button("Next"):
    clicks = st.session_state["clicks"] = clicks + 1
st.write(f"Clicks: {clicks}")
