// Inline guardrail checks, "/" templates and suggestions for the composer partial.
// Customer and draft text is only ever inserted with textContent, never as HTML.
(function () {
  "use strict";

  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function request(url, form, body) {
    var options = { credentials: "same-origin", headers: { "X-CSRFToken": csrf(form) } };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (r) {
      return r.json().then(function (data) { return { status: r.status, data: data }; });
    });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setup(box) {
    var form = box.querySelector("form");
    var text = form.querySelector("textarea[name=text]");
    var findingsBox = box.querySelector(".composer-findings");
    var overrideBox = box.querySelector(".composer-override");
    var status = box.querySelector(".composer-status");
    var suggestionsList = box.querySelector(".composer-suggestions");
    var templatesList = box.querySelector(".composer-templates");
    var timer = null;
    var seq = 0;

    function visibility() {
      var checked = form.querySelector("input[name=visibility]:checked");
      return checked ? checked.value : "";
    }

    function showFindings(data) {
      findingsBox.replaceChildren();
      (data.findings || []).forEach(function (f) {
        var item = el("div", "composer-finding level-" + f.level);
        item.setAttribute("data-check", f.check);
        item.appendChild(el("strong", null, f.level === "block" ? "Blocked: " : f.level === "warn" ? "Warning: " : "Note: "));
        item.appendChild(document.createTextNode(f.message + " "));
        if (f.end > f.start) item.appendChild(el("span", "where", "“" + text.value.slice(f.start, f.end).slice(0, 80) + "”"));
        if (f.suggestion) item.appendChild(el("span", "fix", f.suggestion));
        findingsBox.appendChild(item);
      });
      overrideBox.hidden = !(data.blocked && data.can_override);
    }

    function runCheck() {
      var mine = ++seq;
      request(box.dataset.checkUrl, form, { text: text.value, visibility: visibility() }).then(function (r) {
        if (mine === seq && r.status === 200) showFindings(r.data);
      });
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(runCheck, 250);
      var slash = /(^|\n)\/(\S*)$/.exec(text.value);
      if (slash) showTemplates(slash[2]); else templatesList.hidden = true;
    }

    function showTemplates(query) {
      var url = box.dataset.templatesUrl + "?visibility=" + encodeURIComponent(visibility()) + "&q=" + encodeURIComponent(query);
      request(url, form).then(function (r) {
        templatesList.replaceChildren();
        (r.data.templates || []).slice(0, 8).forEach(function (t) {
          var li = el("li");
          var button = el("button", "btn-quiet", "/" + t.shortcut + " — " + t.name);
          button.type = "button";
          button.addEventListener("click", function () { useTemplate(t.id, t.body); });
          li.appendChild(button);
          templatesList.appendChild(li);
        });
        templatesList.hidden = !templatesList.children.length;
      });
    }

    function useTemplate(id, body) {
      var url = box.dataset.templatesUrl + "/" + id + "/use";
      var eta = /\{eta\}/.test(body || "") ? (window.prompt("When will the customer hear back? (e.g. by 5 pm today)") || "") : "";
      request(url, form, { eta: eta }).then(function (r) {
        if (r.status === 200) {
          text.value = text.value.replace(/(^|\n)\/\S*$/, "$1") + r.data.text;
          templatesList.hidden = true;
          runCheck();
        } else {
          status.textContent = r.data.error || "That template cannot be used here.";
        }
      });
    }

    box.querySelector(".composer-suggest").addEventListener("click", function () {
      status.textContent = "Finding suggestions…";
      request(box.dataset.suggestUrl + "?visibility=" + encodeURIComponent(visibility()), form).then(function (r) {
        suggestionsList.replaceChildren();
        (r.data.suggestions || []).forEach(function (s) {
          var li = el("li");
          var button = el("button", "btn-quiet", s.text);
          button.type = "button";
          button.title = s.reason;
          button.addEventListener("click", function () { text.value = s.text; runCheck(); });
          li.appendChild(button);
          suggestionsList.appendChild(li);
        });
        status.textContent = r.data.suggestions && r.data.suggestions.length ? "" : "No suggestions yet.";
      });
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var override = form.querySelector("input[name=override_reason]");
      request(box.dataset.sendUrl, form, {
        text: text.value, visibility: visibility(), override_reason: override && !overrideBox.hidden ? override.value : ""
      }).then(function (r) {
        if (r.status === 201) {
          status.textContent = "Reply saved; it is sent when the channel's connector runs.";
          text.value = "";
          findingsBox.replaceChildren();
          overrideBox.hidden = true;
          box.dispatchEvent(new CustomEvent("composer:sent", { bubbles: true, detail: r.data }));
        } else if (r.status === 202) {
          status.textContent = "Sent to a supervisor for approval: " + (r.data.reasons || []).join(" ");
          text.value = "";
          findingsBox.replaceChildren();
        } else if (r.status === 409) {
          status.textContent = r.data.error;
          showFindings({ findings: r.data.findings, blocked: true, can_override: !overrideBox.hidden || r.data.can_override });
        } else {
          status.textContent = r.data.error || "The reply could not be saved.";
        }
      });
    });

    var handoff = box.querySelector(".composer-handoff");
    if (handoff) {
      var pub = handoff.querySelector("#handoff-public");
      var priv = handoff.querySelector("#handoff-private");
      var handoffStatus = handoff.querySelector(".handoff-status");
      var renderInto = function (target, findings, draft) {
        target.replaceChildren();
        (findings || []).forEach(function (f) {
          var item = el("div", "composer-finding level-" + f.level);
          item.setAttribute("data-check", f.check);
          item.appendChild(el("strong", null, f.level === "block" ? "Blocked: " : "Warning: "));
          item.appendChild(document.createTextNode(f.message + " "));
          if (f.end > f.start) item.appendChild(el("span", "where", "“" + draft.slice(f.start, f.end).slice(0, 80) + "”"));
          if (f.suggestion) item.appendChild(el("span", "fix", f.suggestion));
          target.appendChild(item);
        });
      };
      handoff.addEventListener("toggle", function () {
        if (!handoff.open || pub.value || priv.value) return;
        request(box.dataset.handoffUrl, form).then(function (r) {
          if (r.status === 200) { pub.value = r.data.public; priv.value = r.data.private; }
        });
      });
      handoff.querySelector(".handoff-send").addEventListener("click", function () {
        request(box.dataset.handoffUrl, form, { public_text: pub.value, private_text: priv.value }).then(function (r) {
          var found = r.data.findings || {};
          renderInto(handoff.querySelector(".handoff-public-findings"), found.public, pub.value);
          renderInto(handoff.querySelector(".handoff-private-findings"), found.private, priv.value);
          if (r.status === 201) {
            handoffStatus.textContent = "Both messages saved; they are sent when the channel's connector runs.";
            pub.value = ""; priv.value = "";
            box.dispatchEvent(new CustomEvent("composer:sent", { bubbles: true, detail: r.data }));
          } else {
            handoffStatus.textContent = r.data.error || "The messages could not be saved.";
          }
        });
      });
    }

    text.addEventListener("input", schedule);
    form.querySelectorAll("input[name=visibility]").forEach(function (radio) { radio.addEventListener("change", runCheck); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".composer-checked").forEach(setup);
  });
})();
