// Ketenscan: the online questionnaire. Progress, autosave in this browser, validation with
// the rules of `ketenscan validate`, download of the answer file (SPEC §3), loading of an
// earlier file and, when the page is opened through an invitation link (`#t=<token>`),
// sending to the collection server: queued in this browser until a receipt comes back.
// No dependencies; without an invitation no request at all, with one only to the server.
(function () {
  "use strict";

  var form = document.getElementById("ks-form");
  var island = document.getElementById("ks-form-data");
  if (!form || !island) return;
  var meta = JSON.parse(island.textContent);

  var SLUG = new RegExp(meta.limits.slugPattern);
  var STORAGE_KEY = "ketenscan-vragenlijst:" + meta.municipality + ":" + meta.round + ":" + meta.instrument;
  var MAX_FILE = meta.limits.fileBytes;
  var SCALE_MIN = meta.limits.scaleMin;
  var SCALE_MAX = meta.limits.scaleMax;
  function onScale(value) { return Number.isInteger(value) && value >= SCALE_MIN && value <= SCALE_MAX; }
  function scaleText(value) { return /^[0-9]+$/.test(String(value)) && onScale(Number(value)); }
  var MAX_LISTED = 10;

  var $ = function (id) { return document.getElementById(id); };
  var organisation = $("ks-organisation");
  var role = $("ks-role");
  var respondentId = $("ks-respondent-id");
  var filename = $("ks-filename");
  var progress = $("ks-progress");
  var progressBar = $("ks-progress-bar");
  var notice = $("ks-notice");
  var finishNotice = $("ks-finish-notice");
  var summary = $("ks-errors");
  var summaryList = $("ks-errors-list");
  var loadInput = $("ks-load");
  var loadError = $("ks-load-error");
  var dialog = $("ks-reset-dialog");
  var sendButton = $("ks-send");
  var receiptBox = $("ks-receipt");
  var invitationBox = $("ks-invitation");
  var API = new URL(form.getAttribute("data-api") || "../api/v1/", location.href);
  var TOKEN = new RegExp(meta.limits.tokenPattern);
  var INVITE_KEY = "ketenscan-uitnodiging:" + meta.municipality;
  var QUEUE_KEY = "ketenscan-verzending:" + meta.municipality;
  var RECEIPT_KEY = "ketenscan-ontvangstbewijs:" + meta.municipality;
  var invitation = null; // {token, info}: info is what the server says the token is for

  var factorOf = {};
  meta.factors.forEach(function (factor) {
    factor.statements.forEach(function (sid) { factorOf[sid] = factor; });
  });
  var roleIds = new Set(meta.roles);
  var levelIds = new Set(meta.levels);
  var idTouched = false;
  var showingErrors = false;

  // ------------------------------------------------------------ small helpers

  function length(text) { return Array.from(text).length; } // code points, as Python counts

  function slugify(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "")
      .slice(0, meta.limits.id).replace(/-+$/, "");
  }

  var groups = {};
  meta.statements.forEach(function (sid) {
    groups[sid] = Array.from(form.querySelectorAll('input[type="radio"][name="' + sid + '"]'));
  });
  function radios(sid) { return groups[sid]; }

  function checkedValue(sid) {
    var found = null;
    radios(sid).forEach(function (input) { if (input.checked) found = input.value; });
    return found; // null: not answered; "": weet niet; "1".."5"
  }

  function field(name) { return form.elements.namedItem(name); }

  function today() {
    var now = new Date();
    var pad = function (n) { return String(n).padStart(2, "0"); };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function say(element, text) { element.textContent = text; }

  // ------------------------------------------------------------ reading the form

  function values() {
    var answers = {};
    meta.statements.forEach(function (sid) { answers[sid] = checkedValue(sid); });
    var importance = {}, ambition = {}, comments = {};
    meta.factors.forEach(function (factor) {
      importance[factor.id] = field("importance." + factor.id).value;
      ambition[factor.id] = field("ambition." + factor.id).value;
      comments[factor.id] = field("comments." + factor.id).value;
    });
    var levels = [];
    form.querySelectorAll('input[name="levels_offered"]').forEach(function (box) {
      if (box.checked) levels.push(box.value);
    });
    return {
      organisation: organisation.value,
      role: role.value,
      id: respondentId.value,
      idTouched: idTouched,
      answers: answers,
      importance: importance,
      ambition: ambition,
      levels: levels,
      comments: comments,
      open: { goes_well: field("open.goes_well").value, change_first: field("open.change_first").value }
    };
  }

  function apply(state) {
    form.reset();
    organisation.value = state.organisation || "";
    role.value = roleIds.has(state.role) ? state.role : "";
    respondentId.value = state.id || "";
    idTouched = Boolean(state.idTouched);
    var answers = state.answers || {};
    meta.statements.forEach(function (sid) {
      var value = answers[sid];
      if (value === null || value === undefined) return;
      radios(sid).forEach(function (input) { input.checked = input.value === String(value); });
    });
    meta.factors.forEach(function (factor) {
      ["importance", "ambition"].forEach(function (part) {
        var value = (state[part] || {})[factor.id];
        var select = field(part + "." + factor.id);
        select.value = scaleText(value) ? String(value) : "";
      });
      var comment = (state.comments || {})[factor.id];
      field("comments." + factor.id).value = typeof comment === "string" ? comment : "";
    });
    var levels = new Set(state.levels || []);
    form.querySelectorAll('input[name="levels_offered"]').forEach(function (box) {
      box.checked = levels.has(box.value);
    });
    var open = state.open || {};
    field("open.goes_well").value = typeof open.goes_well === "string" ? open.goes_well : "";
    field("open.change_first").value = typeof open.change_first === "string" ? open.change_first : "";
    if (invitation && invitation.info) lockFields(); // what the invitation fixes stays
    refresh();
  }

  // ------------------------------------------------------------ progress and file name

  function refresh() {
    var answered = 0;
    meta.factors.forEach(function (factor) {
      var done = factor.statements.filter(function (sid) { return checkedValue(sid) !== null; }).length;
      answered += done;
      var count = $("ks-f-" + factor.id + "-count");
      var text = done + " van " + factor.statements.length + " beantwoord";
      if (count.textContent !== text) count.textContent = text;
      count.classList.toggle("ks-factor__count--done", done === factor.statements.length);
    });
    var total = meta.statements.length;
    var text = answered + " van " + total + " beantwoord";
    if (progress.textContent !== text) progress.textContent = text;
    progressBar.value = answered;
    var id = respondentId.value.trim();
    filename.textContent = id ? id + ".yaml" : "–";
  }

  // ------------------------------------------------------------ autosave

  function saveDraft() {
    try {
      var state = values();
      state.saved = new Date().toISOString();
      localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (error) {
      // No storage (private mode, full, blocked): the form still works without a draft.
    }
  }

  function readDraft() {
    try {
      var text = localStorage.getItem(STORAGE_KEY);
      var state = text ? JSON.parse(text) : null;
      return state && typeof state === "object" ? state : null;
    } catch (error) {
      return null;
    }
  }

  function clearDraft() {
    try { localStorage.removeItem(STORAGE_KEY); } catch (error) { /* nothing stored */ }
  }

  // ------------------------------------------------------------ validation

  // The rules of `ketenscan validate` for what the form can get wrong (assessment.models
  // and workspace.check_response); everything else the form cannot produce.
  function problems(state) {
    var found = [];
    var org = state.organisation.trim();
    if (!org) {
      found.push({ field: "organisation", message: "Vul de naam van uw organisatie in." });
    } else if (length(org) > meta.limits.organisation) {
      found.push({ field: "organisation", message: "De naam is te lang: hooguit " +
        meta.limits.organisation + " tekens (nu " + length(org) + ")." });
    }
    if (!roleIds.has(state.role)) {
      found.push({ field: "role", message: "Kies de rol van uw organisatie." });
    }
    var id = state.id.trim();
    if (!id) {
      found.push({ field: "respondent-id", message: "Vul een korte naam voor het bestand in." });
    } else if (length(id) > meta.limits.id) {
      found.push({ field: "respondent-id", message: "De korte naam is te lang: hooguit " +
        meta.limits.id + " tekens (nu " + length(id) + ")." });
    } else if (!SLUG.test(id)) {
      found.push({ field: "respondent-id", message: "Gebruik alleen kleine letters, cijfers " +
        "en streepjes, zonder spaties en zonder streepje aan het begin of eind. " +
        "Bijvoorbeeld: buurtzorg-jong-noord." });
    }
    meta.statements.forEach(function (sid) {
      if (state.answers[sid] === null) {
        found.push({ statement: sid, message: "Kies een antwoord, of kies ‘weet niet’." });
      }
    });
    var texts = meta.factors.map(function (f) { return ["comments-" + f.id, state.comments[f.id]]; });
    texts.push(["open-goes_well", state.open.goes_well], ["open-change_first", state.open.change_first]);
    texts.forEach(function (pair) {
      var n = length(pair[1]);
      if (n > meta.limits.text) {
        found.push({ field: pair[0], message: "Deze tekst is te lang: hooguit " +
          meta.limits.text + " tekens (nu " + n + ")." });
      }
    });
    return found;
  }

  function describe(element, errorId, on) {
    var ids = (element.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    ids = ids.filter(function (id) { return id !== errorId; });
    if (on) ids.push(errorId);
    if (ids.length) element.setAttribute("aria-describedby", ids.join(" "));
    else element.removeAttribute("aria-describedby");
    if (on) element.setAttribute("aria-invalid", "true");
    else element.removeAttribute("aria-invalid");
  }

  function targetOf(problem) {
    if (problem.statement) {
      var group = $("ks-st-" + problem.statement);
      return { group: group, error: $("ks-st-" + problem.statement + "-error"), focus: radios(problem.statement)[0] };
    }
    var input = $("ks-" + problem.field);
    return { group: input, error: $("ks-" + problem.field + "-error"), focus: input };
  }

  function labelOf(problem) {
    if (problem.statement) {
      var number = meta.statements.indexOf(problem.statement) + 1;
      return "Stelling " + number + " (" + factorOf[problem.statement].title + ")";
    }
    var label = form.querySelector('label[for="ks-' + problem.field + '"]');
    return label ? label.textContent.replace(/\s+/g, " ").trim() : problem.field;
  }

  function clearMarks() {
    form.querySelectorAll(".ks-error").forEach(function (el) { el.hidden = true; el.textContent = ""; });
    form.querySelectorAll('[aria-invalid="true"]').forEach(function (el) {
      var error = el.id + "-error";
      describe(el, error, false);
    });
    form.querySelectorAll(".ks-invalid").forEach(function (el) { el.classList.remove("ks-invalid"); });
  }

  function openTo(element) {
    for (var node = element; node && node !== form; node = node.parentElement) {
      if (node.tagName === "DETAILS" && node.classList.contains("ks-factor")) node.open = true;
    }
  }

  function goTo(element) {
    openTo(element);
    element.focus();
    element.scrollIntoView({ block: "center" });
  }

  function showProblems(found, moveFocus) {
    clearMarks();
    summaryList.textContent = "";
    found.forEach(function (problem, index) {
      var target = targetOf(problem);
      target.error.textContent = problem.message;
      target.error.hidden = false;
      describe(target.group, target.error.id, true);
      var wrap = target.group.closest(".ks-field, .ks-stmt");
      if (wrap) wrap.classList.add("ks-invalid");
      if (moveFocus) openTo(target.group);
      if (index < MAX_LISTED) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = "#" + target.group.id;
        link.textContent = labelOf(problem) + ": " + problem.message;
        link.addEventListener("click", function (event) {
          event.preventDefault();
          goTo(target.focus);
        });
        item.appendChild(link);
        summaryList.appendChild(item);
      }
    });
    var rest = found.length - MAX_LISTED;
    if (rest > 0) {
      var more = document.createElement("li");
      more.textContent = "En nog " + rest + (rest === 1 ? " punt" : " punten") +
        ", ook gemarkeerd in het formulier.";
      summaryList.appendChild(more);
    }
    summary.hidden = found.length === 0;
    if (found.length && moveFocus) {
      summary.focus();
      summary.scrollIntoView({ block: "start" });
    }
  }

  function check() {
    var found = problems(values());
    showingErrors = found.length > 0;
    showProblems(found, true);
    return found.length === 0;
  }

  // After a failed attempt, fixed fields lose their message at once; new ones wait for
  // the next attempt.
  function recheck() {
    if (!showingErrors) return;
    var current = problems(values());
    var shown = new Set();
    form.querySelectorAll('[aria-invalid="true"]').forEach(function (el) { shown.add(el.id); });
    var still = current.filter(function (problem) { return shown.has(targetOf(problem).group.id); });
    showingErrors = still.length > 0;
    showProblems(still, false);
  }

  // ------------------------------------------------------------ the answer document

  function toNumber(value) { return scaleText(value) ? Number(value) : null; }

  function documentOf(state) {
    var info = invitation && invitation.info;
    var doc = {
      instrument: meta.instrument,
      municipality: info ? info.municipality : meta.municipality,
      round: info ? info.round : meta.round,
      respondent: { id: state.id.trim(), organisation: state.organisation.trim(), role: state.role },
      submitted: today(),
      answers: {}
    };
    meta.statements.forEach(function (sid) { doc.answers[sid] = toNumber(state.answers[sid] || ""); });
    ["importance", "ambition"].forEach(function (part) {
      var mapping = {};
      meta.factors.forEach(function (f) {
        var value = toNumber(state[part][f.id]);
        if (value !== null) mapping[f.id] = value;
      });
      if (Object.keys(mapping).length) doc[part] = mapping;
    });
    if (state.levels.length) doc.levels_offered = state.levels.slice();
    var comments = {};
    meta.factors.forEach(function (f) {
      if (state.comments[f.id].trim()) comments[f.id] = state.comments[f.id];
    });
    if (Object.keys(comments).length) doc.comments = comments;
    var open = {};
    ["goes_well", "change_first"].forEach(function (key) {
      if (state.open[key].trim()) open[key] = state.open[key];
    });
    if (Object.keys(open).length) doc.open = open;
    return doc;
  }

  // A YAML double-quoted scalar holding `text` exactly (mirrors yamlio.quote_yaml_string).
  function quote(text) {
    var out = '"';
    for (var ch of String(text)) {
      var code = ch.codePointAt(0);
      if (ch === "\\") out += "\\\\";
      else if (ch === '"') out += '\\"';
      else if (ch === "\n") out += "\\n";
      else if (ch === "\t") out += "\\t";
      else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) ||
               code === 0x2028 || code === 0x2029 || code === 0xfeff || code === 0xfffe || code === 0xffff) {
        out += "\\u" + code.toString(16).padStart(4, "0");
      } else if (code >= 0xd800 && code <= 0xdfff) {
        out += "\ufffd"; // a lone surrogate cannot be written as UTF-8
      } else out += ch;
    }
    return out + '"';
  }

  function commentLine(text) {
    return text.replace(/[\s\u0085\u0000-\u001f\u007f-\u009f]+/g, " ").trim();
  }

  function toYaml(doc) {
    var lines = [
      "# " + commentLine(meta.title) + " — antwoordbestand (vragenlijst versie " + meta.version + ")",
      "# Ingevuld met de online vragenlijst. Controleer het met: ketenscan validate <bestand>",
      "instrument: " + doc.instrument,
      "municipality: " + doc.municipality,
      "round: " + doc.round,
      "respondent:",
      "  id: " + doc.respondent.id,
      "  organisation: " + quote(doc.respondent.organisation),
      "  role: " + doc.respondent.role,
      "submitted: " + doc.submitted,
      "answers:"
    ];
    meta.factors.forEach(function (factor) {
      lines.push("  # " + commentLine(factor.title));
      factor.statements.forEach(function (sid) {
        var value = doc.answers[sid];
        lines.push("  " + sid + ": " + (value === null ? "null" : value));
      });
    });
    ["importance", "ambition"].forEach(function (part) {
      if (!doc[part]) return;
      lines.push(part + ":");
      meta.factors.forEach(function (f) {
        if (Object.prototype.hasOwnProperty.call(doc[part], f.id)) lines.push("  " + f.id + ": " + doc[part][f.id]);
      });
    });
    if (doc.levels_offered) {
      lines.push("levels_offered:");
      doc.levels_offered.forEach(function (level) { lines.push("  - " + level); });
    }
    if (doc.comments) {
      lines.push("comments:");
      meta.factors.forEach(function (f) {
        if (Object.prototype.hasOwnProperty.call(doc.comments, f.id)) lines.push("  " + f.id + ": " + quote(doc.comments[f.id]));
      });
    }
    if (doc.open) {
      lines.push("open:");
      Object.keys(doc.open).forEach(function (key) { lines.push("  " + key + ": " + quote(doc.open[key])); });
    }
    return lines.join("\n") + "\n";
  }

  // ------------------------------------------------------------ reading an answer file

  // The YAML the form writes and what `ketenscan template` writes when filled in by hand:
  // block mappings and sequences, flow lists and maps on one line, plain, single- and
  // double-quoted scalars, literal and folded blocks, and comments.
  function YamlError(line, message) { this.line = line; this.message = message; }

  function parseYaml(source) {
    var text = source.replace(/^\ufeff/, "").replace(/\r\n?/g, "\n");
    if (text.indexOf("\u0000") >= 0) throw new YamlError(0, "dit is geen tekstbestand");
    var lines = text.split("\n");
    var pos = 0;

    function indentOf(line) { return line.length - line.replace(/^ +/, "").length; }
    function isContent(line) { var t = line.trim(); return t !== "" && t.charAt(0) !== "#"; }
    function nextContent(from) {
      for (var i = from; i < lines.length; i++) {
        var trimmed = lines[i].trim();
        if (trimmed === "---" && i === 0) continue;
        if (trimmed === "...") return lines.length;
        if (isContent(lines[i])) return i;
      }
      return lines.length;
    }

    function resolve(raw) {
      if (raw === "" || raw === "~" || /^(null|Null|NULL)$/.test(raw)) return null;
      if (/^(true|True|TRUE)$/.test(raw)) return true;
      if (/^(false|False|FALSE)$/.test(raw)) return false;
      if (/^[-+]?[0-9]+$/.test(raw)) return Number(raw);
      if (/^[&*!|>%@`]/.test(raw)) throw new YamlError(pos + 1, "dit teken aan het begin van een waarde wordt niet ondersteund: " + raw.charAt(0));
      return raw;
    }

    // Reads a scalar starting at s[i]; returns [value, index after it].
    function scalar(s, i, flow) {
      var ch = s.charAt(i);
      if (ch === '"') {
        var out = "";
        for (i += 1; i < s.length; i++) {
          var c = s.charAt(i);
          if (c === '"') return [out, i + 1];
          if (c !== "\\") { out += c; continue; }
          var e = s.charAt(++i);
          var simple = { "0": "\0", a: "\x07", b: "\b", t: "\t", "\t": "\t", n: "\n", v: "\v", f: "\f",
            r: "\r", e: "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", N: "\u0085", _: "\u00a0",
            L: "\u2028", P: "\u2029" };
          if (Object.prototype.hasOwnProperty.call(simple, e)) { out += simple[e]; continue; }
          var size = { x: 2, u: 4, U: 8 }[e];
          var hex = size ? s.substr(i + 1, size) : "";
          if (!size || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== size) {
            throw new YamlError(pos + 1, "onbekende escape-code \\" + e + " in tekst tussen aanhalingstekens");
          }
          out += String.fromCodePoint(parseInt(hex, 16));
          i += size;
        }
        throw new YamlError(pos + 1, "tekst tussen aanhalingstekens wordt niet afgesloten");
      }
      if (ch === "'") {
        var single = "";
        for (i += 1; i < s.length; i++) {
          if (s.charAt(i) === "'") {
            if (s.charAt(i + 1) === "'") { single += "'"; i++; continue; }
            return [single, i + 1];
          }
          single += s.charAt(i);
        }
        throw new YamlError(pos + 1, "tekst tussen aanhalingstekens wordt niet afgesloten");
      }
      var end = i;
      while (end < s.length) {
        var d = s.charAt(end);
        if (d === "#" && end > i && /\s/.test(s.charAt(end - 1))) break;
        if (flow && (d === "," || d === "]" || d === "}")) break;
        if (flow && d === ":" && /[\s,\]}]|^$/.test(s.charAt(end + 1))) break;
        end++;
      }
      return [resolve(s.slice(i, end).trim()), end];
    }

    function skipSpace(s, i) { while (s.charAt(i) === " " || s.charAt(i) === "\t") i++; return i; }

    function restIsEmpty(s, i) {
      i = skipSpace(s, i);
      return i >= s.length || s.charAt(i) === "#";
    }

    // A quoted scalar may go on over the next lines; join them as YAML folds them.
    function joinQuoted(s, start) {
      var joined = s;
      var probe = function (t) {
        try { scalar(t, start, false); return true; } catch (error) { return false; }
      };
      // Line breaks fold to a space, an empty line to a newline; the spaces around go.
      while (!probe(joined) && pos + 1 < lines.length) {
        pos++;
        var next = lines[pos].trim();
        joined = joined.replace(/[ \t]+$/, "");
        joined += next === "" ? "\n" : (/\n$/.test(joined) ? "" : " ") + next;
      }
      return joined;
    }

    function inline(s, i, ownIndent) {
      i = skipSpace(s, i);
      var ch = s.charAt(i);
      if (ch === "[" || ch === "{") {
        var collection = flowNode(s, i);
        if (!restIsEmpty(s, collection[1])) throw new YamlError(pos + 1, "onverwachte tekst na ']' of '}'");
        return collection[0];
      }
      if (ch === "|" || ch === ">") return blockScalar(s.slice(i), ownIndent);
      if (ch === '"' || ch === "'") {
        s = joinQuoted(s, i);
        var quoted = scalar(s, i, false);
        if (!restIsEmpty(s, quoted[1])) throw new YamlError(pos + 1, "onverwachte tekst na de aanhalingstekens");
        return quoted[0];
      }
      var plain = scalar(s, i, false);
      var value = plain[0];
      // A plain text may go on over more indented lines.
      if (typeof value === "string") {
        while (pos + 1 < lines.length && isContent(lines[pos + 1]) && indentOf(lines[pos + 1]) > ownIndent &&
               !/^\s*[^\s#'"][^#]*?:(\s|$)/.test(lines[pos + 1])) {
          pos++;
          value += " " + scalar(lines[pos], skipSpace(lines[pos], 0), false)[0];
        }
      }
      return value;
    }

    function flowNode(s, i) {
      var open = s.charAt(i), close = open === "[" ? "]" : "}";
      var result = open === "[" ? [] : {};
      i = skipSpace(s, i + 1);
      if (s.charAt(i) === close) return [result, i + 1];
      for (;;) {
        var item;
        if (s.charAt(i) === "[" || s.charAt(i) === "{") item = flowNode(s, i);
        else item = scalar(s, i, true);
        i = skipSpace(s, item[1]);
        if (open === "{") {
          if (s.charAt(i) !== ":") throw new YamlError(pos + 1, "dubbele punt ontbreekt in '{...}'");
          var key = String(item[0]);
          i = skipSpace(s, i + 1);
          var value = (s.charAt(i) === "[" || s.charAt(i) === "{") ? flowNode(s, i) : scalar(s, i, true);
          if (Object.prototype.hasOwnProperty.call(result, key)) throw new YamlError(pos + 1, "de sleutel '" + key + "' komt twee keer voor");
          result[key] = value[0];
          i = skipSpace(s, value[1]);
        } else {
          result.push(item[0]);
        }
        if (s.charAt(i) === ",") { i = skipSpace(s, i + 1); if (s.charAt(i) === close) return [result, i + 1]; continue; }
        if (s.charAt(i) === close) return [result, i + 1];
        throw new YamlError(pos + 1, "'" + close + "' ontbreekt of er staat iets onverwachts");
      }
    }

    function blockScalar(header, parentIndent) {
      var match = /^([|>])([-+]?)\s*(#.*)?$/.exec(header);
      if (!match) throw new YamlError(pos + 1, "na '|' of '>' mag alleen commentaar staan");
      var body = [];
      var indent = null;
      while (pos + 1 < lines.length) {
        var line = lines[pos + 1];
        if (line.trim() === "") { body.push(""); pos++; continue; }
        var own = indentOf(line);
        if (indent === null) indent = own;
        if (own < indent || own <= parentIndent) break;
        body.push(line.slice(indent));
        pos++;
      }
      var trailing = 0;
      while (body.length && body[body.length - 1] === "") { body.pop(); trailing++; }
      var text;
      if (match[1] === "|") {
        text = body.join("\n");
      } else {
        text = "";
        body.forEach(function (line, index) {
          if (index === 0) { text = line; return; }
          var previous = body[index - 1];
          if (line === "" || previous === "" || /^\s/.test(line) || /^\s/.test(previous)) text += "\n" + line;
          else text += " " + line;
        });
        text = text.replace(/\n(?=\n)/g, "\n");
      }
      if (match[2] === "-") return text;
      if (match[2] === "+") return text + "\n".repeat(trailing + (body.length ? 1 : 0));
      return body.length ? text + "\n" : "";
    }

    function keyLine(line) {
      var indent = indentOf(line);
      var s = line.slice(indent);
      var key, after;
      if (s.charAt(0) === '"' || s.charAt(0) === "'") {
        var quoted = scalar(s, 0, false);
        key = quoted[0];
        after = quoted[1];
      } else {
        var m = /^([^\s#:][^:#]*?)\s*(?=:(\s|$))/.exec(s);
        if (!m) throw new YamlError(pos + 1, "hier wordt 'sleutel: waarde' verwacht");
        key = m[1];
        after = m[0].length;
      }
      after = skipSpace(s, after);
      if (s.charAt(after) !== ":") throw new YamlError(pos + 1, "dubbele punt ontbreekt: schrijf 'sleutel: waarde'");
      return { key: String(key), rest: s, at: after + 1, indent: indent };
    }

    function block(indent) {
      var first = nextContent(pos);
      if (first >= lines.length) return null;
      var s = lines[first].slice(indent);
      if (/^-(\s|$)/.test(s)) return sequence(indent);
      return mapping(indent);
    }

    function mapping(indent) {
      var result = {};
      for (;;) {
        var at = nextContent(pos);
        if (at >= lines.length) break;
        var line = lines[at];
        if (/^\t/.test(line.replace(/^ +/, ""))) throw new YamlError(at + 1, "tab-teken gevonden; gebruik spaties om in te springen");
        var own = indentOf(line);
        if (own < indent) break;
        pos = at;
        if (own > indent) throw new YamlError(at + 1, "de inspringing klopt niet");
        var entry = keyLine(line);
        if (Object.prototype.hasOwnProperty.call(result, entry.key)) {
          throw new YamlError(at + 1, "de sleutel '" + entry.key + "' komt twee keer voor");
        }
        var value;
        if (restIsEmpty(entry.rest, entry.at)) {
          pos = at + 1;
          var next = nextContent(pos);
          if (next < lines.length && (indentOf(lines[next]) > indent ||
              (indentOf(lines[next]) === indent && /^-(\s|$)/.test(lines[next].slice(indent))))) {
            value = block(indentOf(lines[next]));
          } else {
            value = null;
          }
        } else {
          value = inline(entry.rest, entry.at, indent);
          pos += 1;
        }
        result[entry.key] = value;
      }
      return result;
    }

    function sequence(indent) {
      var result = [];
      for (;;) {
        var at = nextContent(pos);
        if (at >= lines.length) break;
        var line = lines[at];
        var own = indentOf(line);
        if (own < indent || !/^-(\s|$)/.test(line.slice(own))) break;
        if (own > indent) throw new YamlError(at + 1, "de inspringing van de lijst klopt niet");
        pos = at;
        var rest = line.slice(own + 1);
        if (restIsEmpty(rest, 0)) { result.push(null); pos = at + 1; continue; }
        if (/^\s*[^\s#'"[{][^#]*?:(\s|$)/.test(rest)) throw new YamlError(at + 1, "een lijst met sleutels wordt hier niet verwacht");
        result.push(inline(rest, 0, own));
        pos += 1;
      }
      return result;
    }

    var start = nextContent(0);
    if (start >= lines.length) throw new YamlError(0, "het bestand is leeg");
    pos = start;
    if (indentOf(lines[start]) !== 0) throw new YamlError(start + 1, "de eerste sleutel mag niet inspringen");
    var root = block(0);
    var rest = nextContent(pos);
    if (rest < lines.length) throw new YamlError(rest + 1, "de inspringing klopt niet");
    return root;
  }

  function isMapping(value) { return value !== null && typeof value === "object" && !Array.isArray(value); }

  // An answer document (parsed) to the state of the form, plus what was left out.
  function stateOf(doc) {
    if (!isMapping(doc) || !isMapping(doc.answers)) {
      throw new YamlError(0, "dit is geen antwoordbestand van Ketenscan: 'answers' ontbreekt");
    }
    var skipped = 0;
    var respondent = isMapping(doc.respondent) ? doc.respondent : {};
    var text = function (value) { return typeof value === "string" ? value : ""; };
    var state = {
      organisation: text(respondent.organisation),
      role: roleIds.has(respondent.role) ? respondent.role : "",
      id: text(respondent.id) || slugify(text(respondent.organisation)),
      answers: {}, importance: {}, ambition: {}, comments: {}, levels: [], open: {}
    };
    if (respondent.role && !state.role) skipped++;
    var known = new Set(meta.statements);
    Object.keys(doc.answers).forEach(function (sid) {
      var value = doc.answers[sid];
      if (!known.has(sid)) { skipped++; return; }
      if (value === null) state.answers[sid] = "";
      else if (onScale(value)) state.answers[sid] = String(value);
      else skipped++;
    });
    var factors = new Set(meta.factors.map(function (f) { return f.id; }));
    ["importance", "ambition", "comments"].forEach(function (part) {
      if (!isMapping(doc[part])) return;
      Object.keys(doc[part]).forEach(function (fid) {
        var value = doc[part][fid];
        if (value === null) return;
        if (!factors.has(fid)) { skipped++; return; }
        if (part === "comments") {
          if (typeof value === "string") state.comments[fid] = value; else skipped++;
        } else if (onScale(value)) {
          state[part][fid] = String(value);
        } else skipped++;
      });
    });
    if (Array.isArray(doc.levels_offered)) {
      doc.levels_offered.forEach(function (level) {
        if (levelIds.has(level)) state.levels.push(level); else skipped++;
      });
    }
    if (isMapping(doc.open)) {
      state.open.goes_well = text(doc.open.goes_well);
      state.open.change_first = text(doc.open.change_first);
    }
    state.idTouched = state.id !== slugify(state.organisation);
    return { state: state, skipped: skipped, doc: doc };
  }

  function loadFile(file) {
    say(loadError, "");
    if (file.size > MAX_FILE) {
      say(loadError, "Dit bestand is groter dan " + meta.limits.fileText + "; een antwoordbestand is veel kleiner. Kies het goede bestand.");
      return;
    }
    var reader = new FileReader();
    reader.onerror = function () { say(loadError, "Het bestand kan niet worden geopend. Probeer het opnieuw."); };
    reader.onload = function () {
      loadInput.value = ""; // choosing the same file again must load it again
      var result;
      try {
        result = stateOf(parseYaml(String(reader.result)));
      } catch (error) {
        if (!(error instanceof YamlError)) throw error;
        say(loadError, "Het bestand " + file.name + " kan niet worden gelezen" +
          (error.line ? " (regel " + error.line + ")" : "") + ": " + error.message +
          ". Uw antwoorden in het formulier zijn niet veranderd.");
        return;
      }
      apply(result.state);
      clearMarks();
      summary.hidden = true;
      showingErrors = false;
      saveDraft();
      var doc = result.doc;
      var messages = ["De antwoorden uit " + file.name + " staan nu in het formulier."];
      if ((doc.municipality && doc.municipality !== meta.municipality) || (doc.round && doc.round !== meta.round)) {
        messages.push("Let op: het bestand hoort bij " + (doc.municipality || "?") + ", ronde " +
          (doc.round || "?") + ". Als u het opnieuw downloadt, hoort het bij " + meta.municipality +
          ", ronde " + meta.round + ".");
      }
      if (doc.instrument && doc.instrument !== meta.instrument) {
        messages.push("Let op: het bestand hoort bij een andere versie van de vragenlijst (" + doc.instrument + ").");
      }
      if (result.skipped) {
        messages.push(result.skipped + (result.skipped === 1 ? " antwoord past" : " antwoorden passen") +
          " niet bij deze vragenlijst en " + (result.skipped === 1 ? "is" : "zijn") + " overgeslagen.");
      }
      say(notice, messages.join(" "));
    };
    reader.readAsText(file);
  }

  // ------------------------------------------------------------ actions

  function download() {
    say(finishNotice, "");
    if (!check()) return;
    var state = values();
    var doc = documentOf(state);
    var blob = new Blob([toYaml(doc)], { type: "application/x-yaml;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = doc.respondent.id + ".yaml";
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    say(finishNotice, "Het bestand " + link.download + " is gedownload. Stuur het naar de gemeente " +
      "of de begeleider van de ketenscan.");
  }

  // ------------------------------------------------------------ invitation and sending

  // One submission waits in localStorage (QUEUE_KEY) with the Idempotency-Key it was given
  // when it was made, until a receipt comes back. Every retry sends the same key and the
  // same bytes, so the server stores it once however often it arrives; new answers get a
  // new key. Nothing here is sent without an invitation token.
  var sending = false;
  var retryTimer = null;
  var retryDelay = 0;
  var memoryQueue = null; // when localStorage cannot be written (private mode, full)

  function readJson(key) {
    try {
      var text = localStorage.getItem(key);
      var value = text ? JSON.parse(text) : null;
      return value && typeof value === "object" ? value : null;
    } catch (error) {
      return null;
    }
  }

  function writeJson(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); return true; } catch (error) { return false; }
  }

  function removeKey(key) {
    try { localStorage.removeItem(key); } catch (error) { /* nothing stored */ }
  }

  function uuid() {
    if (window.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
    var bytes = new Uint8Array(16); // crypto.randomUUID needs https; getRandomValues does not
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function tokenFromHash() {
    var token = new URLSearchParams(location.hash.replace(/^#/, "")).get("t");
    return token && TOKEN.test(token) ? token : null;
  }

  function dateTime(text) {
    var when = new Date(text);
    return isNaN(when) ? text : when.toLocaleString("nl-NL", { dateStyle: "long", timeStyle: "short" });
  }

  function lastDay(text) {
    // The round closes at midnight after its last day: show that day.
    var when = new Date(new Date(text).getTime() - 1);
    return isNaN(when) ? text : when.toLocaleDateString("nl-NL", { dateStyle: "long" });
  }

  function capital(text) { return text ? text.charAt(0).toUpperCase() + text.slice(1) : text; }

  function queued() {
    var entry = readJson(QUEUE_KEY) || memoryQueue;
    if (!entry || !invitation || entry.token !== invitation.token) return null;
    return typeof entry.key === "string" && typeof entry.body === "string" ? entry : null;
  }

  function setQueued(entry) {
    memoryQueue = writeJson(QUEUE_KEY, entry) ? null : entry;
  }

  function dropQueued(entry) {
    var current = readJson(QUEUE_KEY);
    if (current && current.key === entry.key) removeKey(QUEUE_KEY);
    if (memoryQueue && memoryQueue.key === entry.key) memoryQueue = null;
  }

  function lockFields() {
    var info = invitation && invitation.info;
    if (!info) return;
    if (info.organisation) {
      organisation.value = info.organisation;
      organisation.readOnly = true;
    }
    role.value = roleIds.has(info.role) ? info.role : "";
    role.disabled = true;
    respondentId.value = info.respondent;
    respondentId.readOnly = true;
    idTouched = true;
    refresh();
  }

  function unlockFields() {
    organisation.readOnly = false;
    role.disabled = false;
    respondentId.readOnly = false;
  }

  function showInvitation(state) {
    var info = invitation.info;
    var text = $("ks-invitation-text");
    invitationBox.hidden = false;
    sendButton.hidden = false;
    $("ks-download").classList.remove("md-button--primary"); // Versturen is the main action
    $("ks-finish-text").hidden = true;
    $("ks-finish-text-invited").hidden = false;
    text.textContent = "";
    if (info) {
      var label = info.role_label || info.role;
      text.appendChild(document.createTextNode("U vult deze vragenlijst in voor "));
      var who = document.createElement("strong");
      var name = document.createElement("bdi"); // a name may hold right-to-left text
      name.textContent = info.organisation || "uw organisatie";
      who.appendChild(name);
      text.appendChild(who);
      text.appendChild(document.createTextNode(", met de rol " + label + ". Gemeente " +
        (info.municipality_name || info.municipality) + ", ronde " + info.round + "."));
      lockFields();
    } else {
      text.textContent = "U opent de vragenlijst met een persoonlijke link. De gegevens van de " +
        "uitnodiging worden opgehaald zodra er verbinding is met de server.";
    }
    var notes = [];
    if (info && info.open === false) {
      notes.push("Deze ronde is gesloten; versturen kan niet meer. U kunt uw antwoorden nog wel downloaden.");
      sendButton.hidden = true;
    } else if (info && info.closes) {
      notes.push("U kunt versturen tot en met " + lastDay(info.closes) + ".");
    }
    if (info && info.latest) {
      notes.push("U hebt al verstuurd op " + dateTime(info.latest.received) + " (versie " +
        info.latest.version + ", ontvangstbewijs " + info.latest.receipt + "). Opnieuw versturen " +
        "vervangt die versie.");
    }
    if (state) notes.push(state);
    say($("ks-invitation-state"), notes.join(" "));
  }

  function endInvitation(message) {
    removeKey(INVITE_KEY);
    if (queued()) dropQueued(queued());
    invitation = null;
    unlockFields();
    sendButton.hidden = true;
    $("ks-download").classList.add("md-button--primary");
    $("ks-finish-text").hidden = false;
    $("ks-finish-text-invited").hidden = true;
    invitationBox.hidden = false;
    say($("ks-invitation-text"), message + " U kunt uw antwoorden wel downloaden en het bestand " +
      "naar de gemeente of de begeleider van de ketenscan sturen.");
    say($("ks-invitation-state"), "");
  }

  function call(path, options) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, 30000);
    var settings = Object.assign({
      credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer", signal: controller.signal
    }, options || {});
    settings.headers = Object.assign({ Authorization: "Bearer " + invitation.token }, settings.headers || {});
    return fetch(new URL(path, API), settings).then(function (response) {
      return response.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (error) { body = null; }
        return { ok: response.ok, status: response.status, body: body, retryAfter: Number(response.headers.get("Retry-After")) || 0 };
      });
    }).finally(function () { clearTimeout(timer); });
  }

  function problemText(body) {
    return body && typeof body.detail === "string" ? capital(body.detail) + "." : "";
  }

  function startInvitation() {
    var fromLink = tokenFromHash();
    var stored = readJson(INVITE_KEY);
    var token = fromLink || (stored && typeof stored.token === "string" && TOKEN.test(stored.token) ? stored.token : null);
    if (!token) return; // no invitation: download only, and no request at all
    invitation = { token: token, info: stored && stored.token === token && stored.info ? stored.info : null };
    if (fromLink && (!stored || stored.token !== token)) writeJson(INVITE_KEY, { token: token, info: null });
    showInvitation();
    var receipt = readJson(RECEIPT_KEY);
    if (receipt && receipt.token === token && receipt.receipt) showReceipt(receipt.receipt, false);
    if (queued()) say(finishNotice, "Er wachten nog antwoorden om verstuurd te worden; ze worden nu verstuurd.");
    call("invitation").then(function (result) {
      if (result.ok && result.body) {
        invitation.info = result.body;
        writeJson(INVITE_KEY, { token: token, info: result.body });
        showInvitation();
        if (result.body.open && queued()) deliver(queued());
      } else if (result.status === 401) {
        endInvitation(problemText(result.body) || "Deze link werkt niet (meer).");
      } else {
        showInvitation("De server kon de uitnodiging nu niet controleren (" + result.status + "); probeer het later opnieuw.");
        if (queued()) scheduleRetry(queued(), result.retryAfter);
      }
    }).catch(function () {
      showInvitation("Er is nu geen verbinding met de server. U kunt gewoon verder invullen; versturen kan zodra er weer verbinding is.");
      if (queued()) scheduleRetry(queued(), 0);
    });
  }

  function send() {
    say(finishNotice, "");
    if (!invitation) return;
    if (sending) {
      say(finishNotice, "Uw antwoorden worden al verstuurd; een moment geduld.");
      return;
    }
    if (!check()) return;
    var body = JSON.stringify(documentOf(values()));
    var entry = queued();
    // The same answers again: the same submission (and key). Other answers: a new one.
    if (!entry || entry.body !== body) {
      entry = { key: uuid(), body: body, token: invitation.token, created: new Date().toISOString() };
      setQueued(entry);
    }
    deliver(entry);
  }

  function deliver(entry) {
    if (sending) return;
    sending = true;
    clearTimeout(retryTimer);
    sendButton.setAttribute("aria-busy", "true");
    say(finishNotice, "Bezig met versturen…");
    call("responses", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": entry.key },
      body: entry.body
    }).then(function (result) {
      sending = false;
      sendButton.removeAttribute("aria-busy");
      handle(entry, result);
    }, function () {
      sending = false;
      sendButton.removeAttribute("aria-busy");
      scheduleRetry(entry, 0);
    });
  }

  function targetOfField(field) {
    var parts = field.split(".");
    if (parts[0] === "answers" && meta.statements.indexOf(parts[1]) >= 0) return { statement: parts[1] };
    var map = { "respondent.organisation": "organisation", "respondent.role": "role", "respondent.id": "respondent-id" };
    if (map[field]) return { field: map[field] };
    if ((parts[0] === "comments" || parts[0] === "open") && parts.length === 2 && $("ks-" + parts[0] + "-" + parts[1])) {
      return { field: parts[0] + "-" + parts[1] };
    }
    return null;
  }

  function handle(entry, result) {
    var body = result.body || {};
    var code = typeof body.code === "string" ? body.code : "";
    if (result.ok && typeof body.receipt === "string") {
      dropQueued(entry);
      retryDelay = 0;
      writeJson(RECEIPT_KEY, { token: entry.token, receipt: body });
      if (invitation && invitation.info) {
        invitation.info.latest = body;
        writeJson(INVITE_KEY, { token: invitation.token, info: invitation.info });
        showInvitation();
      }
      say(finishNotice, "Uw antwoorden zijn verstuurd en opgeslagen. Dank u wel!");
      showReceipt(body, true);
      return;
    }
    if (result.status === 429 || code === "collect.request-in-progress" || result.status >= 500) {
      scheduleRetry(entry, result.retryAfter);
      return;
    }
    dropQueued(entry);
    if (result.status === 401) {
      endInvitation(problemText(body) || "Deze link werkt niet (meer).");
      say(finishNotice, "Versturen kan niet met deze link. Download uw antwoorden en stuur het bestand naar de gemeente.");
      return;
    }
    if (code === "collect.round-closed") {
      if (invitation && invitation.info) { invitation.info.open = false; showInvitation(); }
      say(finishNotice, problemText(body) + " Download uw antwoorden als u ze wilt bewaren.");
      return;
    }
    var listed = Array.isArray(body.problems) ? body.problems : [];
    var found = [];
    var other = [];
    listed.forEach(function (problem) {
      var target = typeof problem.field === "string" ? targetOfField(problem.field) : null;
      var message = capital(String(problem.message || "")) + ".";
      if (target) { target.message = message; found.push(target); } else other.push(message);
    });
    if (found.length) {
      showingErrors = true;
      showProblems(found, true);
    }
    say(finishNotice, "Uw antwoorden zijn niet opgeslagen. " + (other.length ? other.join(" ") + " " : "") +
      (found.length ? "Verbeter de gemarkeerde punten en klik opnieuw op Versturen." : problemText(body)));
  }

  function scheduleRetry(entry, seconds) {
    clearTimeout(retryTimer);
    retryDelay = seconds ? seconds * 1000 : Math.min(retryDelay ? retryDelay * 2 : 5000, 300000);
    say(finishNotice, "Versturen is nu niet gelukt: de server is niet bereikbaar. Uw antwoorden zijn " +
      "bewaard in deze browser en worden vanzelf verstuurd zodra het weer kan (volgende poging over " +
      Math.round(retryDelay / 1000) + " seconden). Laat deze pagina open, of open hem later opnieuw " +
      "via uw link. Nog eens op Versturen klikken kan ook: er wordt niets dubbel verstuurd.");
    retryTimer = setTimeout(function () {
      var current = queued();
      if (current && current.key === entry.key) deliver(current);
    }, retryDelay);
  }

  function showReceipt(receipt, focus) {
    var list = $("ks-receipt-details");
    list.textContent = "";
    [
      ["Code", receipt.receipt],
      ["Organisatie", receipt.organisation],
      ["Versie", String(receipt.version)],
      ["Ontvangen", dateTime(receipt.received)]
    ].forEach(function (row) {
      var term = document.createElement("dt");
      term.textContent = row[0];
      var value = document.createElement("dd");
      var text = document.createElement("bdi");
      text.textContent = row[1];
      value.appendChild(text);
      list.appendChild(term);
      list.appendChild(value);
    });
    receiptBox.hidden = false;
    if (focus) {
      receiptBox.focus();
      receiptBox.scrollIntoView({ block: "center" });
    }
  }

  function resetAll() {
    form.reset();
    idTouched = false;
    clearDraft();
    removeKey(QUEUE_KEY);
    removeKey(RECEIPT_KEY);
    clearTimeout(retryTimer);
    receiptBox.hidden = true;
    if (invitation) lockFields();
    clearMarks();
    summary.hidden = true;
    showingErrors = false;
    form.querySelectorAll("details[open]").forEach(function (el) { el.open = false; });
    loadInput.value = "";
    say(loadError, "");
    refresh();
    say(notice, "Alle antwoorden zijn gewist.");
  }

  // ------------------------------------------------------------ wiring

  organisation.addEventListener("input", function () {
    if (!idTouched && !respondentId.readOnly) respondentId.value = slugify(organisation.value);
  });
  respondentId.addEventListener("input", function () {
    idTouched = respondentId.value.trim() !== "";
    if (!idTouched) respondentId.value = slugify(organisation.value);
  });
  form.addEventListener("input", function () { refresh(); saveDraft(); recheck(); });
  form.addEventListener("change", function () { refresh(); saveDraft(); recheck(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); download(); });
  $("ks-download").addEventListener("click", download);
  sendButton.addEventListener("click", send);
  window.addEventListener("online", function () { var q = queued(); if (q) deliver(q); });
  loadInput.addEventListener("change", function () {
    if (loadInput.files && loadInput.files[0]) loadFile(loadInput.files[0]);
  });
  $("ks-reset").addEventListener("click", function () {
    $("ks-reset-queued").hidden = !queued();
    if (dialog && typeof dialog.showModal === "function") dialog.showModal();
    else resetAll();
  });
  if (dialog) {
    $("ks-reset-cancel").addEventListener("click", function () { dialog.close(); });
    $("ks-reset-confirm").addEventListener("click", function () { dialog.close(); resetAll(); });
  }
  form.querySelectorAll(".ks-next").forEach(function (button) {
    button.addEventListener("click", function () {
      var current = button.closest("details");
      var next = button.getAttribute("data-next");
      var target;
      if (next) {
        var details = $("ks-f-" + next);
        details.open = true;
        target = details.querySelector("summary");
      } else {
        target = field("open.goes_well");
      }
      target.focus();
      if (current) current.open = false;
      target.scrollIntoView({ block: "start" });
    });
  });

  var draft = readDraft();
  if (draft) {
    apply(draft);
    var when = draft.saved ? new Date(draft.saved) : null;
    say(notice, "Uw eerder ingevulde antwoorden zijn teruggezet" +
      (when && !isNaN(when) ? " (bewaard op " + when.toLocaleString("nl-NL", { dateStyle: "long", timeStyle: "short" }) + ")" : "") +
      ". Wilt u opnieuw beginnen? Kies dan onderaan ‘Alles wissen’.");
  } else {
    refresh();
  }
  startInvitation();
  form.classList.add("ks-form--ready");
})();
