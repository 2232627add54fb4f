"""Starts the Streamlit server for app.py (`python -m ui.server [streamlit options]`), in st.navigation mode from
the very first request."""
import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from core.platform.settings import get_settings


def main() -> None:
    # Streamlit treats a pages/ folder beside app.py as its legacy multipage mode until the first st.navigation call.
    # On a fresh server that first run resolves a deep link (/my-agenda) against the folder's file names, misses,
    # and shows "Page not found". app.py always navigates itself, so say so before any run.
    PagesManager.uses_pages_directory = False
    # The file picker's own limit follows UPLOAD_MAX_MB, so it never invites a file the app then refuses.
    upload_mb = max(1, round(get_settings().upload_max_mb))
    # Two per-run costs that a served app does not need, both paid under the one interpreter lock every session
    # shares: a full garbage collection after every script run (a scan of a few hundred thousand objects, more CPU
    # than a typical rerun; Python's own generational collector still frees the runs' garbage), and the source file
    # watcher (set up again for every new browser session, and woken by every file written below the app's folder).
    sys.argv = ["streamlit", "run", "app.py", f"--server.maxUploadSize={upload_mb}", "--runner.postScriptGC=false",
                "--server.fileWatcherType=none", *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
