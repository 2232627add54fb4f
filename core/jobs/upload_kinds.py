"""The registry of upload kinds: each domain defines its own kind, and this module only lists them."""
from __future__ import annotations

from core.alumni.alumni import ALUMNI_UPLOAD
from core.alumni.educational import EDUCATIONAL_UPLOAD
from core.alumni.job_market import JOB_MARKET_UPLOAD
from core.community.capsules import CAPSULE_UPLOAD
from core.enrichment.favourites import FAVOURITES_UPLOAD
from core.events.attendees import ATTENDEES_UPLOAD
from core.events.program_import import SESSIONS_UPLOAD, SPEAKERS_UPLOAD
from core.ingest.pipeline import DatasetKind
from core.reengagement.behavioral import BEHAVIORAL_UPLOAD

DATASET_KINDS: dict[str, DatasetKind] = {
    kind.name: kind
    for kind in (ATTENDEES_UPLOAD, SESSIONS_UPLOAD, ALUMNI_UPLOAD, JOB_MARKET_UPLOAD, EDUCATIONAL_UPLOAD,
                 SPEAKERS_UPLOAD, BEHAVIORAL_UPLOAD, FAVOURITES_UPLOAD, CAPSULE_UPLOAD)
}
