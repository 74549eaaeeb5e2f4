// vmtriage: the little script the pages need. Everything works without it, except seeking.
(function () {
  "use strict";

  // Due and overdue timers count on their own between refreshes.
  function dueText(iso) {
    var minutes = Math.floor((Date.parse(iso) - Date.now()) / 60000);
    var m = Math.abs(minutes), text = m < 60 ? m + " min" : Math.floor(m / 60) + " h " + (m % 60) + " min";
    return { late: minutes < 0, text: minutes < 0 ? "overdue " + text : "due in " + text };
  }
  function tick() {
    document.querySelectorAll(".timer[data-due]").forEach(function (el) {
      if (!el.dataset.due) return;
      var d = dueText(el.dataset.due);
      el.textContent = d.text;
      el.classList.toggle("late", d.late);
    });
  }
  setInterval(tick, 15000);

  // Clicking a word in the transcript plays the recording from that word.
  var player = document.getElementById("player");
  if (player) {
    document.querySelectorAll(".transcript .w").forEach(function (el) {
      el.addEventListener("click", function () {
        player.currentTime = parseFloat(el.dataset.t) || 0;
        player.play();
      });
    });
    var words = Array.prototype.slice.call(document.querySelectorAll(".transcript .w"));
    player.addEventListener("timeupdate", function () {
      var now = player.currentTime, current = null;
      words.forEach(function (el) { if (parseFloat(el.dataset.t) <= now) current = el; });
      words.forEach(function (el) { el.classList.toggle("playing", el === current && !player.paused); });
    });
  }
})();
