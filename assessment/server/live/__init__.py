"""The live workshop: partners vote from their phones, the projector shows the agreement.

- `sessions`: the session, participant, vote and decision rows (the collect database) and
  every change as a task for the server's single writer (committed before acknowledged);
- `snapshot`: the state of a session as the presenter and the participants see it;
- `hub`: Server-Sent Events, one snapshot per change, sent to every open stream;
- `record`: `workshop.yaml` written when a session ends, and the votes as CSV;
- `routes`: the participant API (`/api/v1/live/`) and pages (`/live`) in `participants`,
  and the presenter page (`/beheer/live/`) in `presenter`, with `checks` for what they
  share and `pages` for their HTML.
"""
