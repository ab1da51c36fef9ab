// Ketenscan: the online questionnaire. Progress, autosave in this browser, validation with
// the rules of `ketenscan validate`, download of the answer file (SPEC §3), loading of an
// earlier file and, when the municipality configured a collection URL, sending as JSON.
// No dependencies and no request to any host but the configured collection URL.
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
  var collectionUrl = form.getAttribute("data-collection-url");

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
    var doc = {
      instrument: meta.instrument,
      municipality: meta.municipality,
      round: meta.round,
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
      Object.keys(doc[part]).forEach(function (key) { lines.push("  " + key + ": " + doc[part][key]); });
    });
    if (doc.levels_offered) {
      lines.push("levels_offered:");
      doc.levels_offered.forEach(function (level) { lines.push("  - " + level); });
    }
    if (doc.comments) {
      lines.push("comments:");
      Object.keys(doc.comments).forEach(function (key) { lines.push("  " + key + ": " + quote(doc.comments[key])); });
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

  function send() {
    say(finishNotice, "");
    if (!check()) return;
    var doc = documentOf(values());
    sendButton.disabled = true;
    say(finishNotice, "Bezig met versturen…");
    fetch(collectionUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(doc),
      credentials: "omit"
    }).then(function (response) {
      if (!response.ok) throw new Error("status " + response.status);
      say(finishNotice, "Uw antwoorden zijn verstuurd. Dank u wel!");
    }).catch(function () {
      say(finishNotice, "Versturen is niet gelukt. Download uw antwoorden en stuur het bestand " +
        "naar de gemeente of de begeleider van de ketenscan.");
    }).then(function () { sendButton.disabled = false; });
  }

  function resetAll() {
    form.reset();
    idTouched = false;
    clearDraft();
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
    if (!idTouched) respondentId.value = slugify(organisation.value);
  });
  respondentId.addEventListener("input", function () {
    idTouched = respondentId.value.trim() !== "";
    if (!idTouched) respondentId.value = slugify(organisation.value);
  });
  form.addEventListener("input", function () { refresh(); saveDraft(); recheck(); });
  form.addEventListener("change", function () { refresh(); saveDraft(); recheck(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); download(); });
  $("ks-download").addEventListener("click", download);
  if (sendButton) {
    if (collectionUrl) sendButton.addEventListener("click", send);
    else sendButton.remove();
  }
  loadInput.addEventListener("change", function () {
    if (loadInput.files && loadInput.files[0]) loadFile(loadInput.files[0]);
  });
  $("ks-reset").addEventListener("click", function () {
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
  form.classList.add("ks-form--ready");
})();
