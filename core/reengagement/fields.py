"""Seed 002's calculated fields, in the seed's order and under its names, and the decision's labels."""
from __future__ import annotations

from db.models import ReengagementDecision

EVENT_FIELDS = ("friends", "event_history_hosts", "event_history", "venue_history", "number_of_events_attended",
                "last_event_date", "favorite_event_types", "average_events_per_month", "days_since_last_event")
MESSAGE_FIELDS = ("has_queued_messages", "queued_message_count", "has_sent_messages", "last_message_sent_date",
                  "days_since_last_message", "total_messages_sent", "can_send_new_message")
PERSONALISATION_FIELDS = ("has_enough_fields_to_personalize", "is_first_time_user", "should_request_more_details",
                          "is_healthy_active_user", "is_on_team", "personalization_score")
ORDER_FIELDS = ("total_orders",)
CALCULATED_FIELDS = (*EVENT_FIELDS, *MESSAGE_FIELDS, *PERSONALISATION_FIELDS, *ORDER_FIELDS)
# The default fields of the users table that personalisation reads (seed 002 "Default Fields").
PROFILE_FIELDS = ("interests", "cuisine_preference", "dietary_restrictions", "age", "gender", "occupation",
                  "relationship_status", "table_type_preference", "home_neighborhood", "work_neighborhood")

DECISION_LABELS = {ReengagementDecision.SEND_PERSONALISED_MESSAGE: "Send a personalised message",
                   ReengagementDecision.REQUEST_MORE_DETAILS: "Ask for more details",
                   ReengagementDecision.WAIT: "Wait"}
