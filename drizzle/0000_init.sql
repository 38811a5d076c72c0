CREATE TABLE "accounts" (
	"login_id" text PRIMARY KEY NOT NULL,
	"name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "circles" (
	"number" text PRIMARY KEY NOT NULL,
	"account_login_id" text NOT NULL,
	"user_info" text,
	"department" text,
	"contact" text,
	"applied_on" date,
	"state" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "uniques" (
	"number" text PRIMARY KEY NOT NULL,
	"circle_number" text NOT NULL,
	"type" text NOT NULL,
	"login_server" text NOT NULL,
	"realm" text NOT NULL,
	"ha1_md5" text NOT NULL,
	"ha1_sha256" text NOT NULL,
	"password_changed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bindings" (
	"unique_number" text NOT NULL,
	"contact" text NOT NULL,
	"source" text NOT NULL,
	"transport" text NOT NULL,
	"user_agent" text,
	"call_id" text NOT NULL,
	"cseq" integer NOT NULL,
	"path" jsonb NOT NULL,
	"instance_id" text,
	"reg_id" integer,
	"q" real,
	"requested_expires" integer,
	"granted_expires" integer NOT NULL,
	"registered_at" timestamp with time zone NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "bindings_unique_number_contact_pk" PRIMARY KEY("unique_number","contact")
);
--> statement-breakpoint
CREATE TABLE "registration_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event_key" text NOT NULL,
	"type" text NOT NULL,
	"unique_number" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"method" text NOT NULL,
	"source" text NOT NULL,
	"transport" text NOT NULL,
	"user_agent" text,
	"contact" text,
	"call_id" text,
	"requested_expires" integer,
	"granted_expires" integer,
	"response_code" integer,
	"detail" jsonb NOT NULL,
	CONSTRAINT "registration_events_event_key_unique" UNIQUE("event_key")
);
--> statement-breakpoint
ALTER TABLE "circles" ADD CONSTRAINT "circles_account_login_id_accounts_login_id_fk" FOREIGN KEY ("account_login_id") REFERENCES "public"."accounts"("login_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uniques" ADD CONSTRAINT "uniques_circle_number_circles_number_fk" FOREIGN KEY ("circle_number") REFERENCES "public"."circles"("number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "circles_account_idx" ON "circles" USING btree ("account_login_id");--> statement-breakpoint
CREATE INDEX "uniques_circle_idx" ON "uniques" USING btree ("circle_number","number");--> statement-breakpoint
CREATE INDEX "registration_events_unique_idx" ON "registration_events" USING btree ("unique_number","id");--> statement-breakpoint
CREATE INDEX "registration_events_type_unique_idx" ON "registration_events" USING btree ("unique_number","type","id");