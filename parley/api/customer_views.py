"""REST views for a customer's personal data: export (streamed JSON) and erase. Admins only.

Thin: access_customer for the lookup, parley.customers.actions for the writes,
parley.customers.export for the document (the same as the web download and
`parley customers export`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from parley.accounts.models import Role
from parley.customers import actions, export
from parley.inbox.access import READ, WRITE, access_customer

from .serializers import ErrorSerializer
from .views import ERRORS, BrandView

CUSTOMER_PARAMETER = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The customer's id.")


class EraseRequestSerializer(serializers.Serializer):
    confirm = serializers.CharField(max_length=60, help_text='Exactly "erase <customer id>", e.g. "erase 42".')


class ErasureSerializer(serializers.Serializer):
    customer = serializers.IntegerField(source="customer_id")
    pseudonym = serializers.CharField()
    erased_at = serializers.DateTimeField()
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Rows rewritten, by kind.")


class CustomerAdminView(BrandView):
    def customer(self, pk, mode):
        if self.role != Role.ADMIN:
            # Members who may see the customer learn it exists, nothing more.
            access_customer(self.request.user, self.brand, pk, READ)
            raise PermissionDenied("Only the brand's admins can export or erase a customer's data")
        return access_customer(self.request.user, self.brand, pk, mode)


class CustomerExportView(CustomerAdminView):
    @extend_schema(
        tags=["customers"], operation_id="customers_export", summary="Everything stored about a customer",
        description="A JSON document (format `parley.customer-export`, version 1), streamed: profile, "
        "identities, conversations, posts, notes, callbacks (the number in clear), CSAT answers. Audited "
        "as `customer.exported`. Admins only (403 for other members).",
        parameters=[CUSTOMER_PARAMETER],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT), 403: ErrorSerializer, **ERRORS},
    )
    def get(self, request, brand, pk):
        customer = self.customer(pk, READ)
        actions.record_export(customer, request.user)
        response = StreamingHttpResponse(export.chunks(customer), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="customer-{customer.pk}.json"'
        return response


class CustomerEraseView(CustomerAdminView):
    @extend_schema(
        tags=["customers"], operation_id="customers_erase", summary="Erase a customer's personal data",
        description="Cannot be undone. Replaces the text of their posts and of the replies to them, names and "
        "handles (by a stable pseudonym), notes, callback numbers, CSAT comments and raw payloads; keeps "
        "counts, timings, triage labels and CSAT scores. One transaction; a repeated call answers the first "
        'erasure again. `confirm` must be "erase <id>". Admins only (403 for other members).',
        parameters=[CUSTOMER_PARAMETER], request=EraseRequestSerializer,
        responses={200: ErasureSerializer, 400: ErrorSerializer, 403: ErrorSerializer, **ERRORS},
    )
    def post(self, request, brand, pk):
        customer = self.customer(pk, WRITE)
        data = self.valid(EraseRequestSerializer)
        erasure = actions.erase_customer(customer, request.user, confirm=data["confirm"])
        return Response(ErasureSerializer(erasure).data)
