-- What a person chooses for themselves (README.md, "Reports"): the language the server answers
-- them in when a request does not say (CSV/Excel exports, e-mailed reports), the e-mail address
-- scheduled reports go to, and named report/journal filters kept per user.

ALTER TABLE app.users
  ADD COLUMN language text CHECK (language IN ('ru', 'en')),
  ADD COLUMN email text CHECK (email IS NULL OR email ~ '^[^@\s]+@[^@\s]+$');

CREATE TABLE app.saved_filters (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
  -- Which screen the filter belongs to: 'reports' or 'journal'.
  page text NOT NULL CHECK (page IN ('reports', 'journal')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- The screen's filter as it sends it (period preset or dates, queues, operators, …).
  filters jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, page, name)
);
