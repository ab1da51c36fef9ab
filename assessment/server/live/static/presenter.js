// Ketenscan live workshop: the presenter's screen. The state arrives by Server-Sent
// Events (with the page's first state embedded, so a reload shows it at once); the
// facilitator's forms are posted with fetch and also work as plain forms.
(function () {
  "use strict";
  var main = document.getElementById("inhoud");
  var base = main.getAttribute("data-base");
  var $ = function (id) { return document.getElementById(id); };
  var state = JSON.parse($("begintoestand").textContent);
  var shownFactor = null;

  function say(id, text) { $(id).textContent = text === null || text === undefined ? "" : String(text); }
  function number(value) { return String(value).replace(".", ","); }

  function render() {
    say("aantal", state.participants);
    say("aantal-woord", state.participants === 1 ? "deelnemer" : "deelnemers");
    var factor = state.factor;
    if (!factor) return;
    if (shownFactor !== factor.id) {
      shownFactor = factor.id;
      say("factor-nummer", "Factor " + factor.number + " van " + factor.total);
      say("factor-kop", factor.title);
      say("factor-uitleg", factor.explanation);
      $("factor-keuze").value = factor.id;
    }
    var result = state.result;
    factor.descriptors.forEach(function (text, index) {
      var item = $("niveau-" + (index + 1));
      item.querySelector(".descriptor").textContent = text;
      var count = result && result.shown ? result.counts[index] : null;
      var share = count === null || !result.scored ? 0 : count / result.scored;
      item.querySelector(".bar span").style.width = Math.round(share * 100) + "%";
      item.querySelector(".count").textContent = count === null ? "" :
        count + (count === 1 ? " stem" : " stemmen");
      item.classList.toggle("agreed", !!(state.agreed && state.agreed.score === index + 1));
    });
    var votes = result ? result.votes : 0;
    var line;
    if (!result || !result.shown) {
      line = votes + (votes === 1 ? " stem" : " stemmen") + " binnen. De verdeling verschijnt " +
        "vanaf " + state.min_votes + " stemmen met een niveau.";
    } else {
      line = votes + " stemmen binnen" +
        (result.dont_know ? ", waarvan " + result.dont_know + " keer weet niet" : "") + ".";
    }
    say("verdeling-uitleg", line);
    var open = state.voting;
    say("stemming", state.status !== "active" ? "De sessie is afgelopen." :
      state.dots_open ? "Stippen geven op de acties is open." :
      open ? "De stemming is open." : state.revealed ? "Dicht; de uitslag staat op de telefoons." :
      "De stemming is dicht.");
    $("stemming").className = "state " + (open ? "open" : "closed");
    var revealed = state.revealed;
    say("eensgezindheid", revealed && result && result.shown ? number(result.consensus) : "—");
    say("gemiddelde", revealed && result && result.shown ? number(result.mean) : "—");
    say("vragenlijst", state.reference ? number(state.reference.mean) + " (" +
      state.reference.n + " partners)" : "—");
    say("afgesproken", state.agreed ? state.agreed.score : "—");
    say("onderbouwing-tekst", state.agreed && state.agreed.rationale || "");
    main.classList.toggle("revealed", revealed);
    $("stemming-waarde").value = open ? "0" : "1";
    say("stemming-knop", open ? "Stemming sluiten" : "Stemming openen");
    $("onthullen-waarde").value = revealed ? "0" : "1";
    say("onthullen-knop", revealed ? "Uitslag verbergen" : "Uitslag tonen");
    $("stippen-waarde").value = state.dots_open ? "0" : "1";
    say("stippen-knop", state.dots_open ? "Stippen geven sluiten" : "Stippen geven openen");
    renderActions();
  }

  function renderActions() {
    var box = $("acties-lijst");
    box.textContent = "";
    if (!state.actions.length) return;
    var table = document.createElement("table");
    var caption = document.createElement("caption");
    caption.textContent = "Acties (" + state.actions.length + ")";
    table.appendChild(caption);
    var head = table.createTHead().insertRow();
    ["Actie", "Factoren", "Trekker", "Klaar op", "Stippen", ""].forEach(function (text) {
      var th = document.createElement("th"); th.scope = "col"; th.textContent = text;
      head.appendChild(th);
    });
    var body = table.createTBody();
    state.actions.forEach(function (action) {
      var row = body.insertRow();
      var th = document.createElement("th"); th.scope = "row"; th.textContent = action.title;
      row.appendChild(th);
      row.insertCell().textContent = action.factors.join(", ");
      row.insertCell().textContent = action.owner;
      row.insertCell().textContent = action.due;
      row.insertCell().textContent = action.dots;
      var form = document.createElement("form");
      form.method = "post"; form.action = base + "/actie-weg"; form.className = "control";
      form.innerHTML = '<input type="hidden" name="check"><input type="hidden" name="actie">' +
        '<button type="submit">Weghalen</button>';
      form.elements.check.value = document.querySelector("input[name=check]").value;
      form.elements.actie.value = action.id;
      form.querySelector("button").setAttribute("aria-label", "Actie " + action.title + " weghalen");
      form.addEventListener("submit", post);
      row.insertCell().appendChild(form);
    });
    box.appendChild(table);
  }

  function post(event) {
    event.preventDefault();
    var form = event.currentTarget;
    var body = new URLSearchParams(new FormData(form));
    say("bediening-status", "Bezig…");
    fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (response.ok) {
        say("bediening-status", "Gedaan.");
        if (form.action.slice(-6) === "/einde") window.location.reload();
        if (form.action.slice(-6) === "/actie") form.reset();
        return;
      }
      return response.json().then(function (data) {
        say("bediening-status", "Dat lukte niet: " + (data.detail || response.status) + ".");
      }, function () { say("bediening-status", "Dat lukte niet (" + response.status + ")."); });
    }, function () { say("bediening-status", "Geen verbinding met de server."); });
  }

  document.querySelectorAll("form.control").forEach(function (form) {
    form.addEventListener("submit", post);
  });

  var source = new EventSource(base + "/events");
  source.addEventListener("state", function (event) {
    state = JSON.parse(event.data);
    render();
  });
  render();
})();
