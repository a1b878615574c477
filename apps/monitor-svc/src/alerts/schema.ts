/**
 * Alert tables. Rules and silences are what callers set; `alert_states` is the evaluator's memory
 * per (rule, series), so a restart neither re-fires what fires nor forgets a pending timer;
 * `alert_groups` holds each notification group's timers; the two outboxes carry events and
 * webhook notifications out of the transaction that decided them.
 */
export const ALERTS_SCHEMA_DDL = [
  `CREATE TABLE alert_rules (
    id uuid PRIMARY KEY,
    version integer NOT NULL,
    spec jsonb NOT NULL,
    created_by text NOT NULL,
    updated_by text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
  )`,
  `CREATE TABLE alert_states (
    rule_id uuid NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
    fingerprint text NOT NULL,
    edge_id text NOT NULL,
    labels jsonb NOT NULL,
    state text NOT NULL,
    severity text NOT NULL,
    value double precision,
    active_at timestamptz,
    firing_since timestamptz,
    -- When a firing alert's condition first cleared: keep_firing_for counts from here.
    cleared_at timestamptz,
    resolved_at timestamptz,
    last_evaluated_at timestamptz NOT NULL,
    last_sent_at timestamptz,
    -- Whether a notification ever announced it firing: a resolve is only sent for those.
    notified boolean NOT NULL DEFAULT false,
    PRIMARY KEY (rule_id, fingerprint)
  )`,
  'CREATE INDEX alert_states_state ON alert_states (state, severity)',
  `CREATE TABLE alert_groups (
    rule_id uuid NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
    group_key text NOT NULL,
    group_labels jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    last_sent_at timestamptz,
    -- What the last notification said (alerts, states, severities): a change is what group_interval sends.
    last_signature text,
    last_severity integer NOT NULL DEFAULT -1,
    PRIMARY KEY (rule_id, group_key)
  )`,
  `CREATE TABLE alert_silences (
    id uuid PRIMARY KEY,
    matchers jsonb NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    comment text NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL
  )`,
  `CREATE TABLE alert_event_outbox (
    id text PRIMARY KEY,
    type text NOT NULL,
    aggregate_id text NOT NULL,
    data jsonb NOT NULL,
    -- Who caused it (a rule's deletion); evaluations are the system's own and have none.
    actor text,
    created_at timestamptz NOT NULL
  )`,
  `CREATE TABLE alert_notifications (
    id uuid PRIMARY KEY,
    url text NOT NULL,
    payload jsonb NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error text
  )`,
  'CREATE INDEX alert_notifications_due ON alert_notifications (next_attempt_at)',
  `CREATE TABLE alert_dead_letters (
    id uuid PRIMARY KEY,
    url text NOT NULL,
    payload jsonb NOT NULL,
    attempts integer NOT NULL,
    last_error text NOT NULL,
    failed_at timestamptz NOT NULL
  )`,
] as const;
