// The IATI export page, enhanced: instead of a plain download, the page fetches the file itself, counts the
// bytes and the <iati-activity> elements as they arrive, says so in a <progress> and a polite live region,
// and then offers the file to save. Without JavaScript, or in a browser without streams, the form's plain
// GET downloads the same file. Texts come from the form's data- attributes, in the page's language.
"use strict";
(function () {
  var form = document.getElementById("iati-export");
  var box = document.getElementById("iati-progress");
  if (!form || !box || !window.fetch || !window.TextDecoder || !window.ReadableStream) return;
  var bar = document.getElementById("iati-progress-bar");
  var status = document.getElementById("iati-status");
  var save = document.getElementById("iati-save");
  var marker = "<iati-activity";
  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function say(template, activities, bytes) {
    status.textContent = template.replace("{activities}", numbers.format(activities))
      .replace("{kilobytes}", numbers.format(Math.ceil(bytes / 1024)));
  }

  // count finds the markers in text, carrying over the end of a chunk that may hold a marker's beginning.
  function counter() {
    var tail = "";
    return function (text) {
      var s = tail + text, n = 0, at = s.indexOf(marker);
      while (at >= 0) { n++; at = s.indexOf(marker, at + marker.length); }
      tail = s.slice(Math.max(0, s.length - marker.length + 1));
      if (tail.indexOf("<") < 0) tail = "";
      return n;
    };
  }

  function fileName(response, year) {
    var m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(response.headers.get("Content-Disposition") || "");
    return m ? decodeURIComponent(m[1]) : "iati-activities-" + year + ".xml";
  }

  form.addEventListener("submit", function (event) {
    var query = new URLSearchParams(new FormData(form)).toString();
    var url = form.action + "?" + query;
    event.preventDefault();
    box.hidden = false;
    bar.removeAttribute("value");
    save.textContent = "";
    status.textContent = form.dataset.progressStart;
    fetch(url, { credentials: "same-origin" }).then(function (response) {
      // A refusal, a year the console cannot read or a session that ended (the sign-in page): show the
      // console's own page for it instead of a file.
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || !response.body || response.redirected || type.indexOf("xml") < 0) { window.location.assign(url); return; }
      var reader = response.body.getReader(), decoder = new TextDecoder(), count = counter();
      var chunks = [], bytes = 0, activities = 0, shown = 0, end = "";
      function step(part) {
        if (part.done) {
          end = (end + decoder.decode()).trim();
          // A stream the API broke off (an error after the first byte) lacks the document's end: no file then.
          if (end.slice(-"</iati-activities>".length) !== "</iati-activities>") { throw new Error("incomplete"); }
          bar.max = 1; bar.value = 1;
          say(form.dataset.progressDone, activities, bytes);
          var link = document.createElement("a");
          link.href = URL.createObjectURL(new Blob(chunks, { type: type }));
          link.download = fileName(response, new FormData(form).get("year"));
          link.textContent = form.dataset.save + " (" + link.download + ")";
          save.appendChild(link);
          link.focus();
          return;
        }
        chunks.push(part.value);
        bytes += part.value.length;
        var text = decoder.decode(part.value, { stream: true });
        activities += count(text);
        end = (end + text).slice(-64);
        // A live region that changes at every chunk would talk over itself: at most twice a second.
        if (Date.now() - shown > 500) { shown = Date.now(); say(form.dataset.progressActivities, activities, bytes); }
        return reader.read().then(step);
      }
      return reader.read().then(step);
    }).catch(function () {
      bar.max = 1; bar.value = 0;
      status.textContent = form.dataset.progressFailed;
    });
  });
})();
