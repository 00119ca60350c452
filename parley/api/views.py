"""REST API views. Thin: look up through parley.inbox.access, write through
parley.inbox.actions, shape with serializers.

Every URL is scoped by brand slug. Something the user cannot see answers 404
(a brand they are not a member of, another team's conversation); a viewer who
tries to change something gets 403.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from parley.inbox import actions, queries
from parley.inbox.access import (
    READ,
    WRITE,
    access_brand,
    access_conversation,
    access_customer,
    brands_for,
    role_in,
    visible_conversations,
)
from parley.inbox.models import Conversation, Note, Post, Status
from parley.triage.queries import latest_inbound_triage

from parley.triage.labels import INTENTS, OUTCOMES, SENTIMENTS

from . import ingestion
from . import serializers as s
from .errors import exception_handler
from .parsers import BodyRequest, BoundedJSONParser
from .permissions import require_ingest

ERRORS = {401: s.ErrorSerializer, 404: s.ErrorSerializer}


# JSON in, JSON out, one error shape (the classes' docstrings would become schema text).
class ApiView(APIView):
    renderer_classes = [JSONRenderer]
    parser_classes = [BoundedJSONParser]

    def get_exception_handler(self):
        return exception_handler

    def initialize_request(self, request, *args, **kwargs):
        return BodyRequest(
            request,
            parsers=self.get_parsers(),
            authenticators=self.get_authenticators(),
            negotiator=self.get_content_negotiator(),
            parser_context=self.get_parser_context(request),
        )


BRAND_PARAMETER = OpenApiParameter(
    "brand", str, OpenApiParameter.PATH, description="The brand's slug (see GET /api/v1/brands/)."
)


@extend_schema(parameters=[BRAND_PARAMETER])
class BrandView(ApiView):
    # A view under /brands/<slug>/: resolves the brand and the user's role once.

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication first: 401 before 404
        self.brand, self.role = access_brand(request.user, kwargs["brand"])

    def conversation(self, pk, mode: str = READ) -> Conversation:
        return access_conversation(self.request.user, self.brand, pk, mode)

    def valid(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


# --- reading ------------------------------------------------------------------------------


def _count(model, **filters):
    rows = (
        model.objects.filter(conversation=OuterRef("pk"), **filters)
        .order_by()
        .values("conversation")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def conversation_rows(qs: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """What a conversation summary needs, fetched in a fixed number of queries."""
    return qs.select_related("customer", "channel", "team", "assignee__agent_profile").prefetch_related(
        "tags", "customer__identities"
    ).annotate(
        post_count=_count(Post),
        inbound_count=_count(Post, direction=Post.Direction.INBOUND),
        note_count=_count(Note),
    )


class ConversationPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200

    def get_paginated_response(self, data, view_counts=None):
        response = super().get_paginated_response(data)
        view_counts = view_counts or {}
        response.data["view_counts"] = {name: int(n) for name, n in view_counts.items()}
        # Counts stop at a cap for speed (queries.LIST_COUNT_CAP, COUNT_CAP): say which ones did.
        response.data["count_capped"] = isinstance(self.count, queries.AtLeast)
        response.data["view_counts_capped"] = sorted(n for n, v in view_counts.items() if isinstance(v, queries.AtLeast))
        if getattr(self, "sla_capped", None) is not None:
            response.data["sla_capped"] = self.sla_capped
        return response


class ConversationPageSerializer(drf_serializers.Serializer):
    count = drf_serializers.IntegerField()
    next = drf_serializers.URLField(allow_null=True)
    previous = drf_serializers.URLField(allow_null=True)
    results = s.ConversationSummarySerializer(many=True)
    view_counts = drf_serializers.DictField(
        child=drf_serializers.IntegerField(), help_text="How many conversations each named view holds."
    )
    count_capped = drf_serializers.BooleanField(
        help_text="True when `count` stopped at its cap (10,000; 1,000 with triage filters): there are at least that many."
    )
    view_counts_capped = drf_serializers.ListField(
        child=drf_serializers.CharField(), help_text="Views whose count stopped at its cap (1,000): at least that many."
    )
    sla_capped = drf_serializers.BooleanField(
        required=False,
        help_text="With `sla` or `sort=sla` only: always false now (the SLA filters and sort read each "
                  "conversation's stored next due time and see the whole list); kept for older clients.",
    )


_P = OpenApiParameter
LIST_PARAMETERS = [
    _P("view", str, enum=[*queries.VIEWS, "all"], description="Named view; ignored when status is given."),
    _P("status", str, many=True, enum=list(Status.values), description="Repeat for several statuses."),
    _P("platform", str, description="x, facebook, instagram, youtube, email or other."),
    _P("channel", int, description="Channel account id."),
    _P("team", str, description='Team id, or "none" for unrouted conversations.'),
    _P("assignee", str, description='User id, "me", or "none".'),
    _P("tag", str, description="Tag name."),
    _P("priority_min", int, description="Only conversations with at least this priority (0-100)."),
    _P("q", str, description="Full-text search over the conversation's posts."),
    _P("sort", str, enum=list(queries.SORTS),
       description="waiting (longest first), priority, recent, or sla (least SLA time left first, breached first)."),
    _P("sla", str, enum=list(queries.SLA_FILTERS),
       description="breached (the most urgent SLA timer is breached) or due_1h (due within the hour by the clock)."),
    # Triage filters: a conversation matches when one of its customer's posts matches them all.
    _P("intent", str, enum=list(INTENTS), description="Triage intent of a customer post."),
    _P("sentiment", str, enum=list(SENTIMENTS), description="Triage sentiment of a customer post."),
    _P("outcome", str, enum=[*OUTCOMES, "unclear"], description='Desired outcome, or "unclear".'),
    _P("severity_min", int, enum=[1, 2, 3, 4], description="Complaint severity at least this (1-4)."),
    _P("troll", str, enum=["yes", "no"], description="A likely troll (troll probability of 0.5 or more), or not."),
    _P("private_data", str, enum=["yes", "no"], description="The customer posted private data, or not."),
    _P("needs_response", str, enum=["yes", "no"],
       description="A customer post needs a response (needs_response of 0.5 or more), or none does "
                   "(a triaged post scored under 0.5)."),
    _P("topic", str, description="One of the brand's triage topics."),
    _P("language", str, description="ISO 639-1 code of a customer post, e.g. es."),
    _P("limit", int, description="Page size (default 50, at most 200)."),
    _P("offset", int, description="Rows to skip."),
]


class BrandListView(ApiView):
    @extend_schema(
        tags=["brands"], operation_id="brands_list", summary="Your brands and your role in each",
        responses={200: s.BrandSerializer(many=True), 401: s.ErrorSerializer},
    )
    def get(self, request):
        user = request.user
        brands = brands_for(user).distinct()
        rows = [{"slug": b.slug, "name": b.name, "role": role_in(user, b)} for b in brands]
        return Response(s.BrandSerializer(rows, many=True).data)


class ConversationListView(BrandView):
    @extend_schema(
        tags=["conversations"], operation_id="conversations_list", summary="List and filter conversations",
        parameters=LIST_PARAMETERS, responses={200: ConversationPageSerializer, **ERRORS},
    )
    def get(self, request, brand):
        f = queries.InboxFilter.from_params(request.query_params)
        paginator = ConversationPagination()
        if f.sla or f.sort == "sla":
            paginator.sla_capped = False
        qs = conversation_rows(queries.conversations(request.user, self.brand, f))
        page = paginator.paginate_queryset(qs, request, view=self)
        context = {"triage": latest_inbound_triage(c.pk for c in page)}
        data = s.ConversationSummarySerializer(page, many=True, context=context).data
        return paginator.get_paginated_response(data, queries.view_counts(request.user, self.brand))


class ConversationDetailView(BrandView):
    @extend_schema(
        tags=["conversations"], operation_id="conversations_retrieve",
        summary="A conversation with its posts, notes and customer",
        responses={200: s.ConversationDetailSerializer, **ERRORS},
    )
    def get(self, request, brand, pk):
        conversation = self.conversation(pk)
        conversation = (
            conversation_rows(Conversation.objects.filter(pk=conversation.pk))
            .prefetch_related("notes__author__agent_profile")
            .get()
        )
        return Response(s.ConversationDetailSerializer(conversation).data)


class CustomerDetailView(BrandView):
    @extend_schema(
        tags=["customers"], operation_id="customers_retrieve",
        summary="A customer with identities and visible conversations",
        responses={200: s.CustomerDetailSerializer, **ERRORS},
    )
    def get(self, request, brand, pk):
        customer = access_customer(request.user, self.brand, pk)
        visible = visible_conversations(request.user, self.brand).filter(customer=customer)
        conversations = conversation_rows(visible.exclude(status=Status.MERGED)).order_by(
            "-last_post_at", "-id"
        )
        customer = type(customer).objects.prefetch_related("identities").get(pk=customer.pk)
        return Response(s.CustomerDetailSerializer(customer, context={"conversations": conversations}).data)


# --- acting on a conversation -------------------------------------------------------------


def _summary(conversation: Conversation) -> dict:
    row = conversation_rows(Conversation.objects.filter(pk=conversation.pk)).get()
    return s.ConversationSummarySerializer(row).data


def _assignee(value, user, brand):
    """The user named by an assign request: a member of the brand, "me", or None."""
    if value is None:
        return None
    if value == "me":
        return user
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError({"assignee": ['Give a user id, "me", or null.']})
    found = (
        get_user_model()
        .objects.filter(Q(memberships__brand=brand) | Q(is_superuser=True), pk=value, is_active=True)
        .distinct()
        .first()
    )
    if found is None:
        raise ValidationError({"assignee": [f"No user with id {value} in this brand."]})
    return found


ACTION_ERRORS = {401: s.ErrorSerializer, 404: s.ErrorSerializer}


class AssignView(BrandView):
    @extend_schema(
        tags=["conversations"], operation_id="conversations_assign",
        summary="Assign to a user, to yourself, or unassign",
        request=s.AssignRequestSerializer, responses={200: s.ConversationSummarySerializer, **ACTION_ERRORS},
    )
    def post(self, request, brand, pk):
        conversation = self.conversation(pk, WRITE)
        data = self.valid(s.AssignRequestSerializer)
        actions.assign(conversation, _assignee(data["assignee"], request.user, self.brand), request.user)
        return Response(_summary(conversation))


class StatusView(BrandView):
    @extend_schema(
        tags=["conversations"], operation_id="conversations_set_status", summary="Change the status",
        request=s.StatusRequestSerializer, responses={200: s.ConversationSummarySerializer, **ACTION_ERRORS},
    )
    def post(self, request, brand, pk):
        conversation = self.conversation(pk, WRITE)
        data = self.valid(s.StatusRequestSerializer)
        actions.set_status(conversation, data["status"], request.user)
        return Response(_summary(conversation))


class NoteView(BrandView):
    @extend_schema(
        tags=["conversations"], operation_id="conversations_add_note",
        summary="Add an internal note (never sent to the customer)",
        request=s.NoteRequestSerializer, responses={201: s.NoteSerializer, **ACTION_ERRORS},
    )
    def post(self, request, brand, pk):
        conversation = self.conversation(pk, WRITE)
        data = self.valid(s.NoteRequestSerializer)
        note = actions.add_note(conversation, data["text"], request.user)
        return Response(s.NoteSerializer(note).data, status=201)


class TagsView(BrandView):
    @extend_schema(
        tags=["conversations"], operation_id="conversations_tags", summary="Add and remove tags",
        request=s.TagsRequestSerializer, responses={200: s.ConversationSummarySerializer, **ACTION_ERRORS},
    )
    def post(self, request, brand, pk):
        conversation = self.conversation(pk, WRITE)
        data = self.valid(s.TagsRequestSerializer)
        with transaction.atomic():  # all of the change or none of it
            for name in data["add"]:
                actions.add_tag(conversation, name, request.user)
            for name in data["remove"]:
                actions.remove_tag(conversation, name, request.user)
        return Response(_summary(conversation))


class ReplyView(BrandView):
    @extend_schema(
        tags=["conversations"], operation_id="conversations_reply",
        summary="Store a reply pending delivery",
        description="201 with the new reply; 200 with the stored one when the idempotency key was already "
        "used on this conversation.",
        request=s.ReplyRequestSerializer,
        responses={
            201: s.PostSerializer, 200: s.PostSerializer,
            202: OpenApiResponse(description="Held for a supervisor's approval: `approval_id`, `reasons`, `findings`."),
            409: OpenApiResponse(description="Blocked by the guardrails: `error`, `findings` (docs/guardrails.md); "
                                 "or a collision (`seen_post_id` given and a post arrived since): `error`, "
                                 "`collision`, `arrived`, `newest_post_id`."),
            **ACTION_ERRORS,
        },
    )
    def post(self, request, brand, pk):
        from parley.composer.actions import GuardrailBlocked, ReplyCollision, Seen, send_checked_reply

        conversation = self.conversation(pk, WRITE)
        data = self.valid(s.ReplyRequestSerializer)
        key = data["idempotency_key"] or None
        replay = bool(key) and Post.objects.filter(idempotency_key=key, conversation=conversation).exists()
        try:
            checked = send_checked_reply(
                conversation, data["text"], request.user, visibility=data["visibility"], idempotency_key=key,
                seen=Seen(data["seen_post_id"], data["reviewed_through"]),
            )
        except ReplyCollision as collided:
            return Response(collided.as_dict(), status=409)
        except GuardrailBlocked as blocked:
            return Response({"error": str(blocked), "findings": [f.as_dict() for f in blocked.findings]},
                            status=409)
        if checked.post is None:
            return Response({"approval_id": checked.approval.pk, "reasons": checked.approval.reasons,
                             "findings": [f.as_dict() for f in checked.findings]}, status=202)
        return Response(s.PostSerializer(checked.post).data, status=200 if replay else 201)


# --- ingestion ----------------------------------------------------------------------------

INGEST_REQUEST = PolymorphicProxySerializer(
    component_name="Ingest",
    serializers=[s.IngestPostSerializer, s.IngestBatchSerializer],
    resource_type_field_name=None,
)
INGEST_RESPONSE = PolymorphicProxySerializer(
    component_name="IngestResponse",
    serializers=[s.IngestResultSerializer, s.IngestBatchResultSerializer],
    resource_type_field_name=None,
)


def _results(results: list[ingestion.RecordResult], batch: bool) -> list[dict]:
    shown = [r.post for r in results if r.visible]
    # One serializer for all posts: building a ModelSerializer's fields per post is slow.
    data = iter(s.PostSerializer(shown, many=True).data)
    bodies = []
    for r in results:
        body = {"index": r.index} if batch else {}
        body["status"] = r.status
        body["post"] = next(data) if r.visible else None
        body["conversation"] = r.post.conversation_id if r.visible else None
        if r.errors:
            body["errors"] = r.errors
        bodies.append(body)
    return bodies


class IngestView(BrandView):
    @extend_schema(
        tags=["ingestion"], operation_id="posts_ingest",
        summary="Add posts in Parley's generic format (idempotent)",
        description=(
            'One post object, or {"posts": [...]} with up to 500. Idempotent on (platform, id): a '
            "redelivery answers 200 with the stored post and never creates a second one. A single post "
            "answers 201 when new, 200 when already stored, 400 when malformed. A batch answers 201 "
            "(something new), 200 (all already stored), 207 (some records rejected, the rest stored) or 400 "
            "(all rejected); each result names its record's index. See docs/import-format.md."
        ),
        request=INGEST_REQUEST,
        responses={
            201: INGEST_RESPONSE, 200: INGEST_RESPONSE, 207: s.IngestBatchResultSerializer,
            400: OpenApiTypes.OBJECT, 401: s.ErrorSerializer, 403: s.ErrorSerializer, 404: s.ErrorSerializer,
            413: s.ErrorSerializer,
        },
    )
    def post(self, request, brand):
        require_ingest(self.role)
        try:
            records, batch = ingestion.records_of(request.data)
        except ingestion.BadEnvelope as exc:
            return Response({"detail": str(exc)}, status=400)
        results = ingestion.ingest_records(self.brand, request.user, records)
        if not batch:
            r = results[0]
            body = _results(results, batch=False)[0]
            if r.errors:
                body = {"detail": "The post was rejected: " + "; ".join(r.errors), **body}
            return Response(body, status=ingestion.single_status(r))
        body = {
            "created": sum(r.status == ingestion.CREATED for r in results),
            "duplicates": sum(r.status == ingestion.DUPLICATE for r in results),
            "rejected": sum(r.status == ingestion.REJECTED for r in results),
            "results": _results(results, batch=True),
        }
        status = ingestion.batch_status(results)
        if status == 400:
            body = {"detail": "Every post was rejected; see results.", **body}
        return Response(body, status=status)


def not_found(request, *args, **kwargs):
    """JSON 404 for any unknown URL under the API."""
    return JsonResponse({"detail": "Not found."}, status=404)

