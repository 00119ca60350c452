"""REST views for triage: read a post's triage, correct one field (parley.triage.actions.correct_triage).

Posts are looked up through parley.inbox.access.access_post: another team's
post is a 404, a viewer's correction a 403.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from parley.inbox.access import READ, WRITE, access_post
from parley.triage.actions import correct_triage

from .serializers import ErrorSerializer
from .triage import CorrectionRequestSerializer, PostTriageSerializer, triage_of
from .views import ERRORS, BrandView

POST_PARAMETER = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The post's id.")


class PostTriageView(BrandView):
    @extend_schema(
        tags=["triage"], operation_id="posts_triage_retrieve", summary="A post's triage",
        parameters=[POST_PARAMETER], responses={200: PostTriageSerializer, **ERRORS},
    )
    def get(self, request, brand, pk):
        post = access_post(request.user, self.brand, pk, READ)
        return Response(PostTriageSerializer(triage_of(post)).data)


class TriageCorrectionView(BrandView):
    @extend_schema(
        tags=["triage"], operation_id="posts_triage_correct",
        summary="Correct one triage field of a customer's post",
        description="Kept as training data (`parley train --with-corrections`) and audited. Correcting "
        "intent, severity or troll recomputes the post's priority. Viewers get 403; a brand's own post is "
        "refused with 400.",
        parameters=[POST_PARAMETER], request=CorrectionRequestSerializer,
        responses={200: PostTriageSerializer, 400: ErrorSerializer, 403: ErrorSerializer, **ERRORS},
    )
    def post(self, request, brand, pk):
        post = access_post(request.user, self.brand, pk, WRITE)
        data = self.valid(CorrectionRequestSerializer)
        correct_triage(post, data["field"], data["value"], request.user)
        return Response(PostTriageSerializer(triage_of(post)).data)
