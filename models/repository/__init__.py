"""Read access to the agenda: keyword-only functions over an explicit session, by subject.

- records.py: commitments and meetings with everything a reply shows, in a fixed number of queries;
- commitments.py: which commitments (by area, date, document, meeting, key) and their stages;
- ownership.py: owners, and what a restricted commitment's owners may see;
- mechanisms.py: the meetings' rows, cadences and occurrences;
- catalogue.py: areas, departments and documents;
- history.py: the revision, recent changes, when dates were set.

Everything is re-exported here: ``from models import repository`` then ``repository.load_commitments(...)``.
Writes are models/writes.py's.
"""

from __future__ import annotations

from models.links import dashboard_link_owner
from models.meetings import occurrences_of  # a meeting's occurrences, oldest first
from models.people import people_names
from models.repository.catalogue import (
    area_by_key,
    area_links_of,
    area_names,
    document_by_key,
    list_areas,
    list_departments,
    list_documents,
    primary_area_id,
)
from models.repository.commitments import (
    all_commitment_ids,
    commitment_ids_by_document,
    commitment_ids_by_mechanism,
    commitment_ids_due_within,
    commitment_ids_from,
    commitment_ids_in_area,
    commitment_ids_oldest_first,
    commitment_ids_with_due_dates,
    commitment_keys,
    commitment_keys_starting,
    commitment_stage,
    commitments_due_on_one_day,
    get_commitment_id,
    ids_for_keys,
    overdue_deadline_ids,
    stages_of,
    statuses,
    upcoming_deadline_ids,
)
from models.repository.history import (
    agenda_changes_since,
    current_revision,
    dates_set_at,
)
from models.repository.mechanisms import (
    cadence_from,
    cadences_of,
    list_mechanisms,
    mechanism_by_key,
)
from models.repository.ownership import (
    commitment_ids_owned_by,
    commitment_ids_owned_directly,
    commitment_owner_kinds,
    mechanism_ids_owned_by,
    owners_of,
    restricted_ids_owned_by,
    restricted_names,
    user_owners,
    visible_ids,
)
from models.repository.records import (
    CommitmentRecord,
    MechanismRecord,
    load_commitments,
    load_mechanism,
    load_mechanisms,
    owners_for,
    stages_by_commitment,
)

__all__ = [
    "CommitmentRecord",
    "MechanismRecord",
    "agenda_changes_since",
    "all_commitment_ids",
    "area_by_key",
    "area_links_of",
    "area_names",
    "cadence_from",
    "cadences_of",
    "commitment_ids_by_document",
    "commitment_ids_by_mechanism",
    "commitment_ids_due_within",
    "commitment_ids_from",
    "commitment_ids_in_area",
    "commitment_ids_oldest_first",
    "commitment_ids_owned_by",
    "commitment_ids_owned_directly",
    "commitment_owner_kinds",
    "commitment_ids_with_due_dates",
    "commitment_keys",
    "commitment_keys_starting",
    "commitment_stage",
    "commitments_due_on_one_day",
    "current_revision",
    "dashboard_link_owner",
    "dates_set_at",
    "document_by_key",
    "get_commitment_id",
    "ids_for_keys",
    "list_areas",
    "list_departments",
    "list_documents",
    "list_mechanisms",
    "load_commitments",
    "load_mechanism",
    "load_mechanisms",
    "mechanism_by_key",
    "mechanism_ids_owned_by",
    "occurrences_of",
    "overdue_deadline_ids",
    "upcoming_deadline_ids",
    "statuses",
    "owners_for",
    "owners_of",
    "people_names",
    "primary_area_id",
    "restricted_ids_owned_by",
    "restricted_names",
    "stages_by_commitment",
    "stages_of",
    "user_owners",
    "visible_ids",
]
