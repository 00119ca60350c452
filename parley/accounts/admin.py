from django.contrib import admin

from .models import AgentProfile, Brand, Membership, Team


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created_at")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "brand")
    list_filter = ("brand",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "brand", "role")
    list_filter = ("brand", "role")


@admin.register(AgentProfile)
class AgentProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "public_first_name", "capacity")
    filter_horizontal = ("teams",)
