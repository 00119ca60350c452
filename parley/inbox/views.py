"""Inbox pages. Thin: look up through access_*, call actions, render."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from .access import access_brand, brands_for


@login_required
def home(request):
    brand = brands_for(request.user).first()
    if brand is None:
        return render(request, "inbox/no_brand.html", status=403)
    return redirect("inbox:list", brand=brand.slug)


@login_required
def inbox(request, brand):
    brand, role = access_brand(request.user, brand)
    return HttpResponse(f"Inbox of {brand.name}")
