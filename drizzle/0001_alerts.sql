CREATE TABLE "event_cursors" (
	"name" text PRIMARY KEY NOT NULL,
	"last_event_id" bigint NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"incident_id" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"actor_source" text NOT NULL,
	"actor_id" text,
	"actor_name" text,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"cause" text NOT NULL,
	"severity" text NOT NULL,
	"state" text NOT NULL,
	"unique_number" text,
	"circle_number" text,
	"account_login_id" text,
	"scope_key" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"snoozed_until" timestamp with time zone,
	"count" integer DEFAULT 1 NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"last_source" text,
	"last_user_agent" text,
	"tips" jsonb NOT NULL,
	"parent_id" bigint,
	"detail" jsonb NOT NULL,
	"acknowledged_by" jsonb,
	"acknowledged_at" timestamp with time zone,
	"resolved_by" jsonb,
	"last_event_id" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_messages" (
	"incident_id" bigint NOT NULL,
	"platform" text NOT NULL,
	"destination" text NOT NULL,
	"message_ref" text NOT NULL,
	"digest" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_messages_incident_id_platform_destination_pk" PRIMARY KEY("incident_id","platform","destination")
);
--> statement-breakpoint
CREATE TABLE "alert_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"incident_id" bigint NOT NULL,
	"platform" text NOT NULL,
	"destination" text NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb,
	"idempotency_key" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "alert_outbox_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE INDEX "incident_audit_incident_idx" ON "incident_audit" USING btree ("incident_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_one_active_idx" ON "incidents" USING btree ("cause","scope_key") WHERE "incidents"."state" <> 'resolved';--> statement-breakpoint
CREATE INDEX "incidents_state_idx" ON "incidents" USING btree ("state","id");--> statement-breakpoint
CREATE INDEX "incidents_unique_idx" ON "incidents" USING btree ("unique_number","id");--> statement-breakpoint
CREATE INDEX "incidents_parent_idx" ON "incidents" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "alert_outbox_due_idx" ON "alert_outbox" USING btree ("platform","state","next_attempt_at");--> statement-breakpoint
CREATE INDEX "alert_outbox_thread_idx" ON "alert_outbox" USING btree ("incident_id","platform","destination","id");--> statement-breakpoint
CREATE UNIQUE INDEX "alert_outbox_coalesce_idx" ON "alert_outbox" USING btree ("incident_id","platform","destination") WHERE "alert_outbox"."kind" = 'update' and "alert_outbox"."state" = 'pending' and "alert_outbox"."attempts" = 0;