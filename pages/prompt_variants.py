"""Staff page: the LLM prompt variants and whether the LLM path is active."""
import pandas as pd
import streamlit as st

from core.prompts import list_variants
from db.models import Role
from ui.auth import require_role
from ui.resources import db_session, settings

user = require_role(Role.STAFF)
st.title("🧪 Prompt variants")

if settings().llm_enabled:
    st.success(f"The LLM path is configured (model `{settings().llm_model}`).")
else:
    st.warning("No ANTHROPIC_API_KEY is set: recommendations use the algorithmic matcher only, and no prompt "
               "variant is sent to an LLM.")
with db_session() as session:
    variants = list_variants(session)
if not variants:
    st.info("No prompt variants exist yet.")
else:
    st.dataframe(pd.DataFrame([{"name": v.name, "version": v.version, "status": v.status, "weight %": v.weight,
                                "model": v.model or settings().llm_model, "temperature": v.temperature,
                                "created": v.created_at.strftime("%Y-%m-%d")} for v in variants]),
                 hide_index=True, width="stretch")
