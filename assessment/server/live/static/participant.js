// Ketenscan live workshop: the participant's page. No framework, no other host.
// The token of this session is kept in localStorage (no cookie); the state comes from
// Server-Sent Events, which reconnect by themselves and then send the current state.
(function () {
  "use strict";
  var main = document.getElementById("inhoud");
  var code = main.getAttribute("data-code");
  var api = "/api/v1/live/" + code;
  var storeKey = "ketenscan-live-" + code;
  var token = null;
  var mine = { votes: {}, dots: [] };
  var state = null;
  var shownFactor = null;
  var $ = function (id) { return document.getElementById(id); };

  try { token = window.localStorage.getItem(storeKey); } catch (e) { token = null; }

  function say(id, text) { $(id).textContent = text === null || text === undefined ? "" : String(text); }

  function request(method, path, body) {
    var headers = { "Accept": "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (token) headers["Authorization"] = "Bearer " + token;
    return fetch(api + path, {
      method: method, headers: headers, credentials: "omit", cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }

  function problemText(reply) {
    var detail = reply.data && reply.data.detail;
    if (!detail) return "Dat lukte niet (fout " + reply.status + "). Probeer het opnieuw.";
    return detail.charAt(0).toUpperCase() + detail.slice(1) + ".";
  }

  function show(section) {
    ["meedoen", "wachten", "stemmen", "uitslag", "stippen", "afgelopen"].forEach(function (id) {
      $(id).hidden = section.indexOf(id) < 0;
    });
  }

  function number(value) { return String(value).replace(".", ","); }

  function renderResult(result, reference, agreed) {
    var box = $("uitslag-inhoud");
    box.textContent = "";
    if (!result || !result.shown) {
      var p = document.createElement("p");
      p.textContent = "Er zijn minder dan " + state.min_votes +
        " stemmen met een niveau; de verdeling blijft verborgen.";
      box.appendChild(p);
    } else {
      var table = document.createElement("table");
      var caption = document.createElement("caption");
      caption.textContent = "Stemmen per niveau";
      table.appendChild(caption);
      var head = table.createTHead().insertRow();
      ["Niveau", "Stemmen"].forEach(function (t) {
        var th = document.createElement("th"); th.scope = "col"; th.textContent = t;
        head.appendChild(th);
      });
      var body = table.createTBody();
      result.counts.forEach(function (count, index) {
        var row = body.insertRow();
        var th = document.createElement("th"); th.scope = "row"; th.textContent = index + 1;
        row.appendChild(th);
        row.insertCell().textContent = count;
      });
      box.appendChild(table);
      var summary = document.createElement("p");
      summary.textContent = "Gemiddelde stem " + number(result.mean) + "; eensgezindheid " +
        number(result.consensus) + " (van 0 tot 1)." +
        (result.dont_know ? " " + result.dont_know + " keer weet niet." : "");
      box.appendChild(summary);
    }
    if (reference) {
      var ref = document.createElement("p");
      ref.textContent = "Gemiddelde in de vragenlijst: " + number(reference.mean) + " (" +
        reference.n + " partners).";
      box.appendChild(ref);
    }
    if (agreed) {
      var done = document.createElement("p");
      done.className = "agreed";
      done.textContent = "Afgesproken niveau: " + agreed.score +
        (agreed.rationale ? ". " + agreed.rationale : "");
      box.appendChild(done);
    }
  }

  function renderVote(factor) {
    if (shownFactor !== factor.id) {
      shownFactor = factor.id;
      say("factor-nummer", "Factor " + factor.number + " van " + factor.total);
      say("factor-kop", factor.title);
      say("factor-uitleg", factor.explanation);
      factor.descriptors.forEach(function (text, index) {
        say("beschrijving-" + (index + 1), text);
      });
      say("stem-status", "");
      var chosen = mine.votes[factor.id];
      document.querySelectorAll("#stem-form input[name=value]").forEach(function (input) {
        input.checked = chosen !== undefined &&
          input.value === (chosen === null ? "" : String(chosen));
      });
      if (chosen !== undefined) say("stem-status", voteText(chosen, false));
    }
  }

  function voteText(value, fresh) {
    var what = value === null ? "weet niet" : "niveau " + value;
    return (fresh ? "Uw stem is ontvangen: " : "U stemde: ") + what +
      ". U kunt uw stem veranderen zolang de stemming open is.";
  }

  function renderDots() {
    var list = $("acties");
    var keep = {};
    list.querySelectorAll("input").forEach(function (input) { keep[input.value] = input.checked; });
    list.textContent = "";
    state.actions.forEach(function (action) {
      var li = document.createElement("li");
      var input = document.createElement("input");
      input.type = "checkbox"; input.name = "actie"; input.value = action.id;
      input.id = "actie-" + action.id;
      input.checked = action.id in keep ? keep[action.id] : mine.dots.indexOf(action.id) >= 0;
      var label = document.createElement("label");
      label.htmlFor = input.id; label.textContent = action.title;
      li.appendChild(input); li.appendChild(label); list.appendChild(li);
    });
  }

  function render() {
    if (!state) return;
    if (state.status !== "active") { show(["afgelopen"]); say("melding", ""); return; }
    if (!token) { show(["meedoen"]); return; }
    var sections = [];
    if (state.dots_open && state.actions.length) {
      sections.push("stippen");
      renderDots();
    } else if (state.factor && state.voting) {
      sections.push("stemmen");
      renderVote(state.factor);
    } else {
      sections.push("wachten");
      shownFactor = null;
      var closed = state.factor && state.revealed;
      say("wachten-kop", closed ? "Stemming gesloten" : "Even wachten");
      say("wachten-tekst", closed
        ? "De stemming over " + state.factor.title + " is gesloten."
        : "De begeleider opent zo de stemming.");
    }
    if (state.revealed && state.factor && !state.voting) {
      sections.push("uitslag");
      say("uitslag-kop", "Uitslag: " + state.factor.title);
      renderResult(state.result, state.reference, state.agreed);
    }
    show(sections);
  }

  function connect() {
    var source = new EventSource(api + "/events");
    source.addEventListener("state", function (event) {
      state = JSON.parse(event.data);
      if (document.body.getAttribute("data-offline")) {
        document.body.removeAttribute("data-offline");
        say("melding", "De verbinding is hersteld.");
      }
      render();
    });
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) {
        window.setTimeout(connect, 2000);
      }
      document.body.setAttribute("data-offline", "1");
      say("melding", "De verbinding is even weg; we proberen het opnieuw.");
    };
  }

  $("meedoen-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var chosen = document.querySelector("#meedoen-form input[name=role]:checked");
    if (!chosen) { say("melding", "Kies eerst een rol."); return; }
    request("POST", "/participants", { role: chosen.value }).then(function (reply) {
      if (!reply.ok) { say("melding", problemText(reply)); return; }
      token = reply.data.token;
      try { window.localStorage.setItem(storeKey, token); } catch (e) { /* private mode */ }
      say("melding", "U doet mee als " + reply.data.role_label + ".");
      render();
      $("kop").focus();
    }, function () { say("melding", "Geen verbinding met de server. Probeer het opnieuw."); });
  });

  $("stem-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var chosen = document.querySelector("#stem-form input[name=value]:checked");
    if (!chosen || !state || !state.factor) { say("stem-status", "Kies eerst een niveau."); return; }
    var value = chosen.value === "" ? null : Number(chosen.value);
    var factor = state.factor.id;
    $("stem-knop").disabled = true;
    request("PUT", "/votes/" + encodeURIComponent(factor), { value: value }).then(function (reply) {
      $("stem-knop").disabled = false;
      if (!reply.ok) { say("stem-status", problemText(reply)); return; }
      mine.votes[factor] = value;
      say("stem-status", voteText(value, true));
    }, function () {
      $("stem-knop").disabled = false;
      say("stem-status", "Uw stem is niet verstuurd: geen verbinding. Probeer het opnieuw.");
    });
  });

  $("stippen-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var chosen = [];
    document.querySelectorAll("#acties input:checked").forEach(function (input) {
      chosen.push(input.value);
    });
    if (chosen.length > state.dots_each) {
      say("stippen-status", "Kies hoogstens " + state.dots_each + " acties.");
      return;
    }
    request("PUT", "/dots", { actions: chosen }).then(function (reply) {
      if (!reply.ok) { say("stippen-status", problemText(reply)); return; }
      mine.dots = chosen;
      say("stippen-status", "Uw keuze is ontvangen (" + chosen.length + " van " +
        state.dots_each + ").");
    }, function () { say("stippen-status", "Niet verstuurd: geen verbinding."); });
  });

  function start() {
    if (!token) { connect(); return; }
    request("GET", "/me").then(function (reply) {
      if (reply.ok) {
        mine.votes = reply.data.votes || {};
        mine.dots = reply.data.dots || [];
        say("melding", "U doet mee als " + reply.data.role_label + ".");
      } else if (reply.status === 401) {
        token = null;
        try { window.localStorage.removeItem(storeKey); } catch (e) { /* ignore */ }
      }
      connect();
    }, connect);
  }
  start();
})();
