from django import forms

from .models import Platform

# The credentials each platform needs (names of the encrypted JSON fields).
CREDENTIAL_FIELDS = {
    "x": [("access_token", "OAuth 2.0 user access token (tweet.write, dm.write, like.write, users.read)")],
    "facebook": [("access_token", "Page access token (pages_manage_engagement, pages_messaging)")],
    "instagram": [("access_token", "Instagram access token (instagram_manage_comments, instagram_manage_messages)"),
                  ("login", "Connected with: facebook (Instagram API with Facebook Login, through the linked Page) or "
                            "instagram (Instagram API with Instagram Login); default: instagram when an app secret is "
                            "entered below, else facebook"),
                  ("app_secret", "Instagram app secret (only for an \"Instagram API with Instagram Login\" app of "
                                 "this account's own; its webhook URL is shown below)")],
    "youtube": [("access_token", "OAuth access token (youtube.force-ssl)")],
    "email": [("smtp_host", "SMTP server"), ("smtp_port", "SMTP port (587: STARTTLS, 465: TLS)"),
              ("smtp_security", "SMTP security: starttls, ssl or none (default: from the port)"),
              ("smtp_username", "SMTP user name"), ("smtp_password", "SMTP password"),
              ("imap_host", "IMAP server (to poll the mailbox; leave empty when mail comes by webhook)"),
              ("imap_port", "IMAP port (993: TLS)"), ("imap_security", "IMAP security: ssl, starttls or none"),
              ("imap_username", "IMAP user name (default: the SMTP one)"),
              ("imap_password", "IMAP password (default: the SMTP one)"),
              ("imap_folder", "Folder to read (default INBOX)"),
              ("imap_move_to", "Move processed mail to this folder (default: mark it read and leave it)")],
}


class ChannelForm(forms.Form):
    platform = forms.ChoiceField(choices=[c for c in Platform.choices if c[0] != "other"])
    external_id = forms.CharField(max_length=128, label="Account id on the platform",
                                  help_text="X user id, Facebook Page id, Instagram user id, YouTube channel id or mailbox")
    handle = forms.CharField(max_length=128, required=False, label="Handle or name")


def credentials_form(platform: str, data=None) -> forms.Form:
    form = forms.Form(data)
    for name, label in CREDENTIAL_FIELDS.get(platform, [("access_token", "Access token")]):
        # render_value=False: a stored secret is never sent back to the browser.
        secret = "token" in name or "password" in name or "secret" in name
        widget = forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}) if secret else forms.TextInput()
        form.fields[name] = forms.CharField(label=label, max_length=4000, widget=widget,
                                            required=name in ("access_token", "smtp_host"))
    return form
