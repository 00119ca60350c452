"""What the composer keeps of a post the platform deleted (the inbox's post-deleted listeners)."""

from __future__ import annotations


def post_deleted(post, words: list[str]) -> None:
    """Guardrail findings about it go (they quote it), and so does the approved draft it was sent from
    (its text and findings; the decision stays); an outcome summary that quoted it keeps the outcome
    and loses the quote."""
    from .models import Approval, OutcomeShare, ReplyCheck
    from .praise import share_text

    ReplyCheck.objects.filter(post_id=post.pk).update(findings=[])
    Approval.objects.filter(post_id=post.pk).update(text="", findings=[])
    for share in OutcomeShare.objects.filter(quote_post_id=post.pk).exclude(quote="").select_related("brand"):
        share.text, _ = share_text(quote="", consent=share.consent, handle=share.shown_handle,
                                   outcome=share.outcome, brand_name=share.brand.name)
        share.quote = ""
        share.save(update_fields=["text", "quote"])
