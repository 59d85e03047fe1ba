-- Forced password change at the next sign-in (docs/roles.md#sign-in): set for the demo users (their
-- passwords were printed in the job's log) and for users whose password an administrator set through
-- POST /users or PATCH /users/{id}; cleared when the user chooses a new one with PUT /me/password.
-- Until then the API answers 403 `password_change_required` to everything but PUT /me/password.
ALTER TABLE app.users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;
