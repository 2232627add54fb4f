"""Seed 000 §10.5's prompt variants for the people re-rank: control, goal_focused and conversation_optimized."""

RESPONSE_FORMAT = """## Response format

Return a JSON array with up to {k} recommendations, ranked by value:
[{{"userId": "<candidate id>", "matchScore": 0-100, "reasons": ["2-3 specific reasons"],
  "conversationStarters": ["2 starters that reference specific details"], "potentialValue": "short summary"}}]

Use only candidate ids listed above. Return ONLY the JSON array, no other text.
"""

CONTROL_TEMPLATE = """## The attendee seeking recommendations

{attendee}

---

## Other attendees at this event (candidates)

{candidates}

---

## Your task

Analyze the candidates and select the TOP {k} people this attendee should meet.

For each recommendation, consider:
1. **Goal alignment**: do their goals complement each other? (e.g. one hiring + one job seeking)
2. **Interest overlap**: shared interests for conversation
3. **Skill exchange**: can they help each other?
4. **Industry relevance**: same or adjacent industries
5. **Seniority fit**: appropriate for their career stage
6. **Unique value**: what specific value can this connection bring?

""" + RESPONSE_FORMAT

GOAL_FOCUSED_TEMPLATE = """You are an expert networking matchmaker. Your PRIMARY task is to find goal-aligned matches.

## CRITICAL: Goal alignment is the #1 priority

Match these goal pairs with HIGH scores:
- HIRE + GET_HIRED (hiring manager + job seeker)
- MENTOR + GET_MENTORED (experienced + learning)
- SELL + BUY (vendor + buyer)
- FIND_INVESTORS + INVEST (founders + investors)
- FIND_PARTNERS + FIND_PARTNERS (complementary partners)

## The attendee

{attendee}

## Scoring rules

- Goal alignment: +40 points (base: 50)
- Same industry: +15 points
- Shared interests: +5 points each (max 20)
- Seniority fit: +10 points

Only return matches with 70+ final score.

## Candidates

{candidates}

""" + RESPONSE_FORMAT

CONVERSATION_TEMPLATE = "You are an expert networking matchmaker who is known for the quality of the " + """\
introductions you write.

## The attendee

{attendee}

## Candidates

{candidates}

## Your task

Pick the TOP {k} people this attendee should meet, ranked by the value of the conversation.
The conversation starters matter most: each must name a concrete detail from BOTH profiles (a skill, a need,
a project or an interest), be an open question, and be something a person would actually say out loud.
Reasons must be specific to the pair; never generic ("great networking opportunity").

""" + RESPONSE_FORMAT

# name -> (traffic weight %, description, template): seed 000 §10.5's three variants.
SEED_VARIANTS = {
    "control": (50.0, "Original prompt - balanced approach (seed 000 §3.1).", CONTROL_TEMPLATE),
    "goal_focused": (25.0, "Prioritize goal alignment over interest overlap.", GOAL_FOCUSED_TEMPLATE),
    "conversation_optimized": (25.0, "Emphasize conversation starters quality.", CONVERSATION_TEMPLATE),
}
