"""Drive Plaza's client API with Mastodon.py, a client nobody here wrote
(issue 19): register an app, authorise it through Plaza's own login and
consent page (scripted over HTTP as a person would click), trade the code
with Mastodon.py's own log_in, then call every endpoint Plaza offers and
check the answers. Every response body is appended to DUMP, so the Rust
test can grep a whole run for identity values (R7.5).

usage: run.py BASE_URL USERNAME PASSWORD OTHER_USERNAME BLOCKED_WORD DUMP
Exits non-zero (with the failed check) on any failure.
"""

import base64
import hashlib
import os
import re
import struct
import sys
import tempfile
import zlib

import requests
from mastodon import Mastodon, MastodonAPIError

BASE, USER, PASSWORD, OTHER, BLOCKED, DUMP = sys.argv[1:7]
OOB = "urn:ietf:wg:oauth:2.0:oob"
SCOPES = ["read", "write", "follow"]
checks = 0


def check(cond, what):
    global checks
    if not cond:
        print("FAILED: " + what, file=sys.stderr)
        sys.exit(1)
    checks += 1


dump = open(DUMP, "a", encoding="utf-8")


def record(resp, *args, **kwargs):
    """Keep every body the server sent (R7.5: the test greps them)."""
    dump.write(resp.text + "\n")


session = requests.Session()
session.hooks["response"].append(record)

# 1. Register the app (Mastodon.py's create_app).
client_id, client_secret = Mastodon.create_app(
    "Plaza test (Mastodon.py)", scopes=SCOPES, redirect_uris=OOB, api_base_url=BASE, session=session
)
check(len(client_id) > 20 and len(client_secret) > 20, "create_app returns credentials")
app = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=BASE, session=session)
info = app.oauth_authorization_server_info()
check("S256" in info["code_challenge_methods_supported"], "well-known lists S256")
check("password" not in info["grant_types_supported"], "no password grant")

# 2. A person signs in to Plaza and approves the app on the consent page.
browser = requests.Session()
browser.hooks["response"].append(record)
page = browser.get(BASE + "/login").text
csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
r = browser.post(BASE + "/login", data={"username": USER, "password": PASSWORD, "csrf_token": csrf}, allow_redirects=False)
check(r.status_code == 303, "login answers 303, got %d" % r.status_code)


def consent(url):
    """Open the consent page at url, approve, and return the page after."""
    page = browser.get(url)
    check(page.status_code == 200, "consent page opens: %d %s" % (page.status_code, page.text[:300]))
    check("Plaza test (Mastodon.py)" in page.text, "consent page names the app")
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    form = {k: v.replace("&amp;", "&").replace("&quot;", '"') for k, v in form.items()}
    form["decision"] = "approve"
    return browser.post(BASE + "/oauth/authorize", data=form, allow_redirects=False)


# The test server speaks plain http on 127.0.0.1; a real site is https.
url = app.auth_request_url(scopes=SCOPES, redirect_uris=OOB, state="s-1", allow_http=True)
done = consent(url)
code = re.search(r'class="oauth-code">([0-9a-f]+)<', done.text).group(1)
token = app.log_in(code=code, redirect_uri=OOB, scopes=SCOPES, allow_http=True)
check(len(token) == 64, "log_in returns a token")

# PKCE S256: a code asked for with a challenge needs the verifier; without it, refused.
verifier = base64.urlsafe_b64encode(b"v" * 40).rstrip(b"=").decode()
challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
done = consent(url + "&code_challenge=%s&code_challenge_method=S256" % challenge)
code2 = re.search(r'class="oauth-code">([0-9a-f]+)<', done.text).group(1)
try:
    app.log_in(code=code2, redirect_uri=OOB, scopes=SCOPES, allow_http=True)
    check(False, "a PKCE code without its verifier is refused")
except Exception:
    check(True, "PKCE without verifier refused")
done = consent(url + "&code_challenge=%s&code_challenge_method=S256" % challenge)
code3 = re.search(r'class="oauth-code">([0-9a-f]+)<', done.text).group(1)
r = session.post(BASE + "/oauth/token", data={
    "grant_type": "authorization_code", "code": code3, "client_id": client_id,
    "client_secret": client_secret, "redirect_uri": OOB, "code_verifier": verifier})
check(r.status_code == 200 and len(r.json()["access_token"]) == 64, "PKCE with verifier works")

m = Mastodon(client_id=client_id, client_secret=client_secret, access_token=token, api_base_url=BASE, session=session)

# 3. Instance and accounts.
inst = m.instance()
check(inst.configuration.statuses.max_characters > 0, "instance max_characters")
check(m.custom_emojis() == [], "no custom emojis")
me = m.account_verify_credentials()
check(me.username == USER and me.acct == USER, "verify_credentials")
check(m.account(me.id).username == USER, "account by id")
other = m.account_lookup(OTHER)
check(other.username == OTHER, "account_lookup")

# 4. Posting, reading, commenting, favouriting.
post = m.status_post("Hello from Mastodon.py #接口测试#", visibility="public")
check("Hello from Mastodon.py" in post.content and post.visibility == "public", "status_post")
check(post.tags[0].name == "接口测试", "hashtag on the status")
check(m.status(post.id).id == post.id, "status by id")
private = m.status_post("followers only", visibility="private")
check(private.visibility == "private", "private maps to followers-only")
reply = m.status_post("a comment", in_reply_to_id=post.id)
check(str(reply.in_reply_to_id) == str(post.id), "reply is a comment on the post")
ctx = m.status_context(post.id)
check(any("a comment" in s.content for s in ctx.descendants), "context lists the comment")
# The comment is a status of its own (id c...): opened, liked, deleted.
check(str(reply.id).startswith("c") and m.status(reply.id).id == reply.id, "status by comment id")
check(m.status_favourite(reply.id).favourites_count == 1, "favourite a comment")
check(m.status(reply.id).favourited, "a comment's favourited is the token's own like")
check(m.status_unfavourite(reply.id).favourites_count == 0, "unfavourite a comment")
check(str(m.status_context(reply.id).ancestors[0].id) == str(post.id), "a comment's context has its post above")
gone = m.status_post("a comment to delete", in_reply_to_id=post.id)
check(m.status_delete(gone.id).id == gone.id, "status_delete of a comment")
check(all(s.id != gone.id for s in m.status_context(post.id).descendants), "a deleted comment leaves the context")
try:
    m.status(gone.id)
    check(False, "a deleted comment is gone")
except MastodonAPIError as e:
    check("404" in str(e), "deleted comment answers 404: %s" % e)
fav = m.status_favourite(post.id)
check(fav.favourited and fav.favourites_count == 1, "favourite")
check(m.status(post.id).favourited, "favourited is the token's own like")
check(any(s.id == post.id and s.favourited for s in m.timeline_public(limit=40)), "favourited on timelines")
likers = m.status_favourited_by(post.id)
check(len(likers) == 1 and likers[0].id == me.id, "favourited_by")
m.status_bookmark(post.id)
check(m.status(post.id).bookmarked and not m.status(private.id).bookmarked, "bookmarked is the token's own")
m.status_unbookmark(post.id)
check(not m.status(post.id).bookmarked, "unbookmark")
check(m.status_unfavourite(post.id).favourites_count == 0, "unfavourite")
try:
    m.status_post("今天 " + BLOCKED)
    check(False, "a blocked word is refused")
except MastodonAPIError as e:
    check("422" in str(e), "blocked word refused with 422: %s" % e)

# A picture: uploaded through the media checks, then posted.


def png(width, height):
    """A small RGB PNG made here, so the test needs no image library."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"".join(bytes((x % 256, y % 256, 90)) for x in range(width)) for y in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


picture = os.path.join(tempfile.mkdtemp(), "picture.png")
with open(picture, "wb") as f:
    f.write(png(32, 24))
media = m.media_post(picture, mime_type="image/png", description="a test picture")
check(media.type == "image" and media.description == "a test picture", "media_post")
with_picture = m.status_post("with a picture", media_ids=[media])
check(len(with_picture.media_attachments) == 1 and with_picture.media_attachments[0].type == "image", "status with media")
check(requests.get(with_picture.media_attachments[0].url).status_code == 200, "the posted picture is served")

# 5. Timelines, paged by the Link header.
for i in range(3):
    m.status_post("page %d" % i)
home = m.timeline_home(limit=2)
check(len(home) == 2 and "page 2" in home[0].content, "home timeline, newest first")
older = m.fetch_next(home)
check(older is not None and len(older) == 2 and "page 0" in older[0].content, "fetch_next follows Link")
newer = m.fetch_previous(older)
check(newer is not None and any("page 2" in s.content for s in newer), "fetch_previous follows Link")
check(any(s.id == post.id for s in m.timeline_public(limit=40)), "public timeline")
check(all("followers only" not in s.content for s in m.timeline_public(limit=40)), "followers-only kept off public")
check(m.timeline_hashtag("接口测试")[0].id == post.id, "tag timeline")
check(len(m.account_statuses(me.id, limit=40)) >= 5, "account statuses")
found = m.search_v2("Mastodon.py", result_type="statuses")
check(any(s.id == post.id for s in found.statuses), "search_v2 finds the post")
check(any(a.id == me.id for a in m.search_v2(USER, result_type="accounts").accounts), "search_v2 finds the account")

# 6. Follows and relationships.
rel = m.account_follow(other.id)
check(rel.following, "follow")
check(m.account_relationships(other.id)[0].following, "relationships")
check(any(a.id == me.id for a in m.account_followers(other.id)), "followers list")
first = m.account_followers(other.id, limit=1)
check(len(first) == 1 and not m.fetch_next(first), "followers page by the Link header")
check(any(a.id == other.id for a in m.account_following(me.id)), "following list")
check(not m.account_unfollow(other.id).following, "unfollow")

# 7. Profile, notifications, markers.
upd = m.account_update_credentials(display_name="Py Tester", note="written by Mastodon.py")
check(upd.display_name == "Py Tester" and "Mastodon.py" in upd.note, "update_credentials")
# An avatar, as a phone app sets it (a multipart PATCH); the header is
# accepted and ignored (Plaza has none).
avatar = os.path.join(tempfile.mkdtemp(), "avatar.png")
with open(avatar, "wb") as f:
    f.write(png(48, 40))
with_avatar = m.account_update_credentials(avatar=avatar, header=picture)
check(with_avatar.avatar != upd.avatar and with_avatar.avatar_static == with_avatar.avatar, "avatar changed")
check(with_avatar.display_name == "Py Tester", "an avatar alone keeps the name")
shown = requests.get(with_avatar.avatar)
check(shown.status_code == 200 and shown.headers["Content-Type"].startswith("image/"), "the avatar is served")
check(m.account_verify_credentials().avatar == with_avatar.avatar, "verify_credentials names the new avatar")
notes = m.notifications()
check(isinstance(notes, list), "notifications list")
for n in notes[:1]:
    check(m.notifications(id=n.id).id == n.id, "one notification")
m.notifications_clear()
mk = m.markers_set(["home"], [post.id])
check(str(mk.home.last_read_id) == str(post.id), "markers_set")
check(str(m.markers_get(["home"]).home.last_read_id) == str(post.id), "markers_get")

# 8. Delete, then revoke the token.
m.status_delete(private.id)
try:
    m.status(private.id)
    check(False, "a deleted status is gone")
except MastodonAPIError:
    check(True, "deleted status gone")
m.revoke_access_token(allow_http=True)
try:
    Mastodon(access_token=token, api_base_url=BASE, session=session).account_verify_credentials()
    check(False, "a revoked token no longer works")
except MastodonAPIError:
    check(True, "revoked token refused")

print("OK: %d checks" % checks)
