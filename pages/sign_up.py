"""Public page: sign up for an event through its link, in five short steps."""
import streamlit as st

from core.accounts.registration import CONSENTS, SignUp, SignUpError, registration_status, sign_up
from ui.auth import public_page
from ui.profile_form import challenge_field, optional_fields, required_fields
from ui.resources import clock, db_session, settings, transaction
from ui.text import plain

public_page()  # open to anyone: no login needed

STEPS = ["Account", "Profile", "Your challenge", "Smart matching", "Consents"]
STATE = "signup"

st.title("Sign up")
code = st.query_params.get("code", "")
with db_session() as session:
    event, closed = registration_status(session, code=code, clock=clock())
    event_name = event.name if event else ""
if closed:
    st.warning(closed)
    st.page_link("pages/login.py", label="Already registered? Log in", icon=":material/login:")
    st.stop()

if st.session_state.get("signup_done"):
    st.success(st.session_state["signup_done"])
    st.page_link("pages/login.py", label="Log in now", icon=":material/login:")
    st.stop()

data = st.session_state.setdefault(STATE, {"step": 0, "profile": {}})
step = data["step"]
st.caption(f"{plain(event_name)} · step {step + 1} of {len(STEPS)}: {STEPS[step]}")
st.progress((step + 1) / len(STEPS))


def go(to: int) -> None:
    data["step"] = to
    st.rerun()


def back_next(*, last: bool = False) -> bool:
    left, right = st.columns([1, 5])
    if step > 0 and left.button("Back", icon=":material/arrow_back:"):
        go(step - 1)
    return right.button("Create my account" if last else "Next", type="primary",
                        icon=":material/check:" if last else ":material/arrow_forward:")


if step == 0:
    with st.form("signup_account"):  # one submission carries all four fields together
        username = st.text_input("Username", data.get("username", ""), max_chars=64,
                                 help="3–64 characters: lowercase letters, digits, '.', '_' or '-'.")
        email = st.text_input("Email", data.get("email", ""), max_chars=254)
        password = st.text_input("Password", type="password", help="8 to 72 characters.")
        again = st.text_input("Password again", type="password")
        submitted = st.form_submit_button("Next", type="primary", icon=":material/arrow_forward:")
    if submitted:
        if not username.strip() or "@" not in email or not password:
            st.error("Enter a username, a valid email address and a password.")
        elif password != again:
            st.error("The two passwords differ. Type the same password twice.")
        elif not 8 <= len(password.encode()) <= 72:
            st.error("Passwords are 8 to 72 characters long.")
        else:
            data.update(username=username.strip().lower(), email=email.strip().lower(), password=password)
            go(1)

elif step == 1:
    st.subheader("About you")
    values = {**data["profile"], **data.get("lists", {})}
    required = required_fields(values, "signup")
    with st.expander("More about you (optional, but it sharpens your matches)", expanded=True):
        optional = optional_fields(values, "signup")
    if back_next():
        missing = [label for field, label in (("first_name", "first name"), ("last_name", "last name"),
                                              ("company", "company"), ("role", "role"), ("interests", "interests"),
                                              ("goals", "goals")) if not required[field].strip()]
        if missing:
            st.error("Please fill in: " + ", ".join(missing) + ".")
        else:
            data["profile"].update({**required, **optional})
            data["lists"] = {name: [i for i in data["profile"][name].split(";") if i]
                             for name in ("interests", "goals", "skills_offered", "skills_needed")}
            go(2)

elif step == 2:
    problem = challenge_field(data["profile"].get("problem_statement", ""), "signup_challenge")
    if back_next():
        data["profile"]["problem_statement"] = problem
        go(3)

elif step == 3:
    st.subheader("Supercharge your networking")
    st.caption("This is completely optional, but can significantly improve your event experience.")
    with st.container(border=True):
        allow = st.toggle("**Enable Smart Profile Matching** · Recommended", data.get("allow_enrichment", False),
                          help="Allow us to search for your public profiles to find better networking matches.")
        st.caption("Allow us to search for your public profiles to find better networking matches.")
    st.markdown("**Platforms we'll search (using your name & company):** LinkedIn · GitHub · Twitter/X · YouTube · "
                "Instagram · Facebook · Medium · dev.to")
    st.markdown("**What you get:**")
    st.markdown("- **Better match recommendations**: we can suggest people who share your interests and goals\n"
                "- **Conversation starters**: know what to talk about before you even say hello\n"
                "- **Context for others**: other attendees can see why connecting with you would be valuable")
    st.info("**Your privacy is protected.** We only look at publicly available information. We never access "
            "private accounts or DMs. We don't store passwords or log in to anything. You can delete this data "
            "anytime on the Privacy page.", icon=":material/shield:")
    if not allow:
        st.caption("You can always enable this later in your profile settings.")
    if not settings().enrichment_enabled:
        st.caption("This server has not switched the public-profile search on yet. Your choice is kept, and we "
                   "start only once it is on.")
    if back_next():
        data["allow_enrichment"] = allow
        go(4)

else:
    st.subheader("Privacy and data settings")
    st.caption("Control how your data is used. You can change these later.")
    chosen = {key: st.toggle(label, data.get("consents", {}).get(key, False), help=description)
              for key, (label, description) in CONSENTS.items()}
    if back_next(last=True):
        data["consents"] = chosen
        form = SignUp(username=data["username"], email=data["email"], password=data["password"],
                      profile=data["profile"], allow_enrichment=data.get("allow_enrichment", False), consents=chosen)
        try:
            with transaction() as session:
                account = sign_up(session, code=code, form=form, clock=clock())
                username = account.username
        except SignUpError as exc:
            st.error(str(exc))
        else:
            st.session_state.pop(STATE, None)
            st.session_state["signup_done"] = (
                f"Welcome, you're registered for {event_name}! Log in as '{username}'. Your first matches are "
                "being computed and appear on For you within a few minutes.")
            st.rerun()
