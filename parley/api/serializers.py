"""What the API reads and writes, as DRF serializers.

Output serializers only shape data that a view already looked up through
parley.inbox.access; input serializers only check types. Business rules live in
parley.inbox.actions, never here.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from parley.accounts.models import Role
from parley.inbox.models import Conversation, Customer, Identity, Note, Post, Status
from parley.platforms.models import Platform
from parley.triage.queries import corrections_for, latest_inbound_triage

from .triage import PostTriageSerializer, TriageSummarySerializer

# Named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] so that the schema's enums have clear names.
SETTABLE_STATUSES = [(value, label) for value, label in Status.choices if value != Status.MERGED]
INGEST_OUTCOMES = [("created", "Created"), ("duplicate", "Already stored"), ("rejected", "Rejected")]

# --- small nested shapes ------------------------------------------------------------------


class BrandSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)


class TeamRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.SerializerMethodField(help_text="The first name the agent shows to customers.")

    def get_name(self, user) -> str:
        profile = getattr(user, "agent_profile", None)
        if profile is not None:
            return profile.shown_name
        return user.first_name or user.get_username()


class ChannelRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    platform = serializers.CharField()
    handle = serializers.CharField()
    display_name = serializers.CharField()


class IdentitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Identity
        fields = ["id", "platform", "platform_user_id", "handle", "label", "display_name", "first_name",
                  "followers", "verified"]

    label = serializers.CharField(read_only=True, help_text="The handle as shown in the inbox.")


class CustomerSummarySerializer(serializers.ModelSerializer):
    identities = serializers.SerializerMethodField()

    class Meta:
        model = Customer
        fields = ["id", "display_name", "first_name", "is_vip", "identities"]

    first_name = serializers.CharField(read_only=True)

    @extend_schema_field(
        serializers.ListField(
            child=serializers.DictField(), help_text="platform, handle and label of each identity"
        )
    )
    def get_identities(self, customer) -> list[dict]:
        return [
            {"platform": i.platform, "handle": i.handle, "label": i.label} for i in customer.identities.all()
        ]


class MetricsSerializer(serializers.Serializer):
    likes = serializers.IntegerField()
    reposts = serializers.IntegerField()
    replies = serializers.IntegerField()


# --- conversations ------------------------------------------------------------------------


class ConversationCountsSerializer(serializers.Serializer):
    posts = serializers.IntegerField()
    inbound = serializers.IntegerField()
    notes = serializers.IntegerField()


class ConversationSummarySerializer(serializers.ModelSerializer):
    """One row of the inbox list. Expects the queryset of views.conversation_rows()."""

    ref = serializers.CharField(read_only=True)
    customer = CustomerSummarySerializer(allow_null=True)
    channel = ChannelRefSerializer(allow_null=True)
    team = TeamRefSerializer(allow_null=True)
    assignee = UserRefSerializer(allow_null=True)
    tags = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()
    triage = serializers.SerializerMethodField(
        help_text="Triage of the customer's latest post; null when it has none yet."
    )

    class Meta:
        model = Conversation
        fields = ["id", "ref", "subject", "status", "platform", "channel", "customer", "team", "assignee",
                  "priority", "tags", "waiting_since", "created_at", "last_post_at", "last_inbound_at",
                  "first_response_at", "resolved_at", "reopened_count", "counts", "triage"]

    @extend_schema_field(TriageSummarySerializer(allow_null=True))
    def get_triage(self, conversation) -> dict | None:
        # Lists pass {conversation id: triage} in the context (two queries for the page).
        found = self.context.get("triage")
        if found is None:
            found = latest_inbound_triage([conversation.pk])
        triage = found.get(conversation.pk)
        return TriageSummarySerializer(triage).data if triage is not None else None

    def get_tags(self, conversation) -> list[str]:
        return [tag.name for tag in conversation.tags.all()]

    @extend_schema_field(ConversationCountsSerializer)
    def get_counts(self, conversation) -> dict:
        # The list annotates these in one query; a single conversation counts them here.
        def count(name, queryset):
            value = getattr(conversation, name, None)
            return queryset.count() if value is None else value

        return {
            "posts": count("post_count", conversation.posts),
            "inbound": count("inbound_count", conversation.posts.filter(direction=Post.Direction.INBOUND)),
            "notes": count("note_count", conversation.notes),
        }


class PostSerializer(serializers.ModelSerializer):
    """A post as stored. A post the platform deleted keeps its place but loses its text."""

    text = serializers.CharField(source="shown_text", help_text="Empty when the post was deleted.")
    author = IdentitySerializer(allow_null=True, help_text="The customer identity for inbound posts.")
    author_user = UserRefSerializer(
        allow_null=True, help_text="The agent who wrote an outbound reply in Parley."
    )
    metrics = serializers.SerializerMethodField()
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Post
        fields = ["id", "conversation", "platform", "platform_id", "kind", "direction", "visibility", "text",
                  "language", "author", "author_user", "parent", "in_reply_to_id", "platform_conversation_id",
                  "url", "created_at", "received_at", "metrics", "is_edited", "edited_at", "is_deleted",
                  "deleted_at", "delivery_status", "delivery_error"]
        read_only_fields = fields

    @extend_schema_field(MetricsSerializer)
    def get_metrics(self, post) -> dict:
        return {"likes": post.likes, "reposts": post.reposts, "replies": post.replies}


class PostWithTriageSerializer(PostSerializer):
    triage = serializers.SerializerMethodField(help_text="Null for the brand's own posts and untriaged ones.")

    class Meta(PostSerializer.Meta):
        fields = [*PostSerializer.Meta.fields, "triage"]
        read_only_fields = fields

    @extend_schema_field(PostTriageSerializer(allow_null=True))
    def get_triage(self, post) -> dict | None:
        triage = getattr(post, "triage", None) if post.direction == Post.Direction.INBOUND else None
        return PostTriageSerializer(triage, context=self.context).data if triage is not None else None


class NoteSerializer(serializers.ModelSerializer):
    author = UserRefSerializer(allow_null=True)

    class Meta:
        model = Note
        fields = ["id", "text", "author", "created_at"]


class CustomerSerializer(serializers.ModelSerializer):
    identities = IdentitySerializer(many=True)
    first_name = serializers.CharField(read_only=True)

    class Meta:
        model = Customer
        fields = ["id", "display_name", "first_name", "is_vip", "identities", "merged_into", "created_at"]


class ConversationDetailSerializer(ConversationSummarySerializer):
    customer = CustomerSerializer(allow_null=True)
    posts = serializers.SerializerMethodField()
    notes = NoteSerializer(many=True)

    class Meta(ConversationSummarySerializer.Meta):
        fields = [*ConversationSummarySerializer.Meta.fields,
                  "started_public", "closed_at", "merged_into", "posts", "notes"]

    @extend_schema_field(PostWithTriageSerializer(many=True))
    def get_posts(self, conversation) -> list[dict]:
        posts = list(
            conversation.posts.select_related("author", "author_user__agent_profile", "triage")
            .order_by("created_at", "id")
        )
        corrections = corrections_for(p.pk for p in posts if p.direction == Post.Direction.INBOUND)
        return PostWithTriageSerializer(posts, many=True, context={"corrections": corrections}).data


class CustomerDetailSerializer(CustomerSerializer):
    conversations = serializers.SerializerMethodField(
        help_text="The customer's conversations that you can see, most recent first."
    )

    class Meta(CustomerSerializer.Meta):
        fields = [*CustomerSerializer.Meta.fields, "conversations"]

    @extend_schema_field(ConversationSummarySerializer(many=True))
    def get_conversations(self, customer) -> list[dict]:
        rows = list(self.context["conversations"])
        context = {"triage": latest_inbound_triage(c.pk for c in rows)}
        return ConversationSummarySerializer(rows, many=True, context=context).data


# --- requests -----------------------------------------------------------------------------


class AssignRequestSerializer(serializers.Serializer):
    assignee = serializers.JSONField(
        allow_null=True,
        help_text='A user id, "me", or null to unassign.',
    )


class StatusRequestSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=SETTABLE_STATUSES)


class NoteRequestSerializer(serializers.Serializer):
    text = serializers.CharField(trim_whitespace=False, allow_blank=True)


class TagsRequestSerializer(serializers.Serializer):
    add = serializers.ListField(
        child=serializers.CharField(allow_blank=True), required=False, default=list, max_length=50
    )
    remove = serializers.ListField(
        child=serializers.CharField(allow_blank=True), required=False, default=list, max_length=50
    )


# A post's visibility, and a reply's: the post's own, or a private reply to the customer's comment.
POST_VISIBILITIES = Post.Visibility.choices
REPLY_VISIBILITIES = [*Post.Visibility.choices, ("comment_dm", "Private reply to the customer's comment")]


class ReplyRequestSerializer(serializers.Serializer):
    text = serializers.CharField(trim_whitespace=False, allow_blank=True)
    visibility = serializers.ChoiceField(
        choices=REPLY_VISIBILITIES,
        required=False, allow_blank=True, default="",
        help_text="Defaults to the visibility of the customer's latest post. `comment_dm`: a private reply to the "
        "customer's latest post, a Facebook / Instagram comment (one per comment, within 7 days of it; "
        "refused with 400 and the reason otherwise); stored as a private post.",
    )
    idempotency_key = serializers.CharField(
        required=False, allow_blank=True, max_length=64, default="",
        help_text="Sending the same key again returns the reply already stored instead of a second one.",
    )
    seen_post_id = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0,
        help_text="Collision detection (optional): the id of the newest post of the conversation the writer had "
        "seen. If a post arrived after it, the reply is refused with 409 and `collision`, `arrived`, "
        "`newest_post_id`.",
    )
    reviewed_through = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0,
        help_text="Send anyway after a collision: the `newest_post_id` the writer reviewed (audited).",
    )


# --- ingestion (documents Parley's generic post format; parley.inbox.formats parses it) ------


class IngestAuthorSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The author's user id on the platform.")
    handle = serializers.CharField(required=False)
    name = serializers.CharField(required=False)
    first_name = serializers.CharField(required=False)
    followers = serializers.IntegerField(required=False, min_value=0)
    verified = serializers.BooleanField(required=False)


class IngestPostSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    id = serializers.CharField(help_text="The post's id on the platform; unique per platform.")
    text = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField(help_text="ISO 8601 with a time zone.")
    kind = serializers.ChoiceField(choices=Post.Kind.choices, required=False)
    direction = serializers.ChoiceField(choices=Post.Direction.choices, required=False)
    visibility = serializers.ChoiceField(choices=Post.Visibility.choices, required=False)
    channel = serializers.CharField(required=False, help_text="The brand's account (id or handle).")
    author = IngestAuthorSerializer(required=False, help_text="Required for inbound posts.")
    in_reply_to = serializers.CharField(required=False)
    conversation_id = serializers.CharField(required=False)
    language = serializers.CharField(required=False)
    url = serializers.CharField(required=False)
    metrics = MetricsSerializer(required=False)
    raw = serializers.JSONField(required=False)


class IngestBatchSerializer(serializers.Serializer):
    posts = IngestPostSerializer(many=True, help_text="At most 500 records.")


class IngestResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(required=False, help_text="Position of the record in a batch.")
    status = serializers.ChoiceField(choices=INGEST_OUTCOMES)
    post = PostSerializer(allow_null=True, help_text="Null when rejected or not visible to you.")
    conversation = serializers.IntegerField(allow_null=True)
    errors = serializers.ListField(child=serializers.CharField(), required=False)


class IngestBatchResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    rejected = serializers.IntegerField()
    results = IngestResultSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.JSONField(required=False, help_text="Per-field messages for invalid input.")
