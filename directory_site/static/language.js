// Offers a page in the browser's language, once: never a redirect. When the first
// language the browser asks for is one the site is also built in (and not the
// page's own), a line at the foot of the screen says so in that language and
// links to the same page there; standing over the page, it moves nothing on it.
// Shown once per browser; either answer, or none, ends it.
(function () {
  "use strict";
  var KEY = "directory-language-offered";
  var data = document.getElementById("languages");
  var box = document.getElementById("language-offer");
  if (!data || !box || !window.localStorage) return;
  try {
    if (localStorage.getItem(KEY)) return;
  } catch (e) {
    return;  // storage blocked: never offer, rather than offer on every page
  }
  var offers = JSON.parse(data.textContent);
  var page = document.documentElement.lang;
  var wanted = (navigator.languages || [navigator.language || ""]).map(function (tag) {
    return String(tag).toLowerCase().split("-")[0];
  });
  var first = wanted[0];
  if (!first || first === page) return;
  var offer = offers.filter(function (o) { return o.language === first; })[0];
  if (!offer) return;
  localStorage.setItem(KEY, offer.language);
  var p = document.createElement("p");
  p.lang = offer.language;
  p.appendChild(document.createTextNode(offer.text + " "));
  var link = document.createElement("a");
  link.href = offer.href;
  link.hreflang = offer.language;
  link.textContent = offer.open;
  p.appendChild(link);
  var dismiss = document.createElement("button");
  dismiss.type = "button";
  dismiss.className = "secondary";
  dismiss.textContent = offer.dismiss;
  dismiss.addEventListener("click", function () {
    box.hidden = true;
    document.body.classList.remove("offered");
  });
  box.appendChild(p);
  box.appendChild(dismiss);
  box.hidden = false;
  document.body.classList.add("offered");  // room to scroll the footer clear of it
})();
