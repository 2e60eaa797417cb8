"""A browser's login, in two steps, for logins.py and burst.py: open the
login page (its CSRF cookie and token), then post the form."""
import http.client
import re
import urllib.parse


def open_form(host, port, timeout=60):
    """GET /login on a new connection: (connection, cookie, csrf token)."""
    c = http.client.HTTPConnection(host, port, timeout=timeout)
    c.request("GET", "/login")
    r = c.getresponse()
    page = r.read().decode()
    cookie = r.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page).group(1)
    return c, cookie, token


def submit(form, user, password):
    """POST the login form opened by open_form; the answer's status."""
    c, cookie, token = form
    body = urllib.parse.urlencode({"csrf_token": token, "username": user, "password": password})
    c.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    r = c.getresponse()
    r.read()
    return r.status
