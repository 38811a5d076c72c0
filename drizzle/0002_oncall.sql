CREATE TABLE "escalation_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"incident_id" bigint NOT NULL,
	"escalation_id" bigint,
	"at" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"actor_source" text NOT NULL,
	"actor_id" text,
	"actor_name" text,
	"reason" text,
	"detail" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oncall_escalation_jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"escalation_id" bigint NOT NULL,
	"incident_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"step_index" integer NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"fencing_token" integer NOT NULL,
	"state" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lease_until" timestamp with time zone,
	"claimed_by" text,
	"payload" jsonb,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "oncall_escalations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"incident_id" bigint NOT NULL,
	"policy_id" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"state" text NOT NULL,
	"fencing_token" integer DEFAULT 1 NOT NULL,
	"step_index" integer DEFAULT 0 NOT NULL,
	"repeat_count" integer DEFAULT 0 NOT NULL,
	"layer_depth" integer DEFAULT 0 NOT NULL,
	"reminders_sent" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oncall_overrides" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"schedule_id" text,
	"person_id" text NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"end_at" timestamp with time zone NOT NULL,
	"created_by_source" text NOT NULL,
	"created_by_id" text,
	"created_by_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oncall_settings" (
	"section" text PRIMARY KEY NOT NULL,
	"body" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
ALTER TABLE "oncall_escalation_jobs" ADD CONSTRAINT "oncall_escalation_jobs_escalation_id_oncall_escalations_id_fk" FOREIGN KEY ("escalation_id") REFERENCES "public"."oncall_escalations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "escalation_log_incident_idx" ON "escalation_log" USING btree ("incident_id","id");--> statement-breakpoint
CREATE INDEX "oncall_escalation_jobs_due_idx" ON "oncall_escalation_jobs" USING btree ("state","due_at");--> statement-breakpoint
CREATE INDEX "oncall_escalation_jobs_escalation_idx" ON "oncall_escalation_jobs" USING btree ("escalation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "oncall_escalations_incident_idx" ON "oncall_escalations" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "oncall_overrides_end_idx" ON "oncall_overrides" USING btree ("end_at");