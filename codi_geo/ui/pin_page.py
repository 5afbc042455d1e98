"""The pin form's HTML: one small page (about 12 KB, Leaflet from the app's own
``static/vendor``), Thai first, made for a phone 390 pixels wide on a slow connection.

Everything typed is kept in the phone's ``localStorage`` as it is typed, with the pin's own
id (made once, by the phone): when sending fails the page says so and keeps it, and sending
again (even after a reload) stores the pin once. The words come from ``codi_geo.text`` as JSON;
every value the page shows is set as text (``textContent``), never as HTML.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

from codi_geo.text import LANGUAGE_NAMES, t

PIN_TEXT_KEYS = (
    "pin_title",
    "pin_intro",
    "pin_kind",
    "pin_where",
    "pin_gps",
    "pin_tap",
    "pin_accuracy",
    "pin_gps_failed",
    "pin_no_point",
    "pin_tambon",
    "pin_households",
    "pin_people",
    "pin_note",
    "pin_note_help",
    "pin_photo",
    "pin_date",
    "pin_send",
    "pin_sending",
    "pin_sent",
    "pin_not_sent",
    "pin_new",
    "pin_mine",
    "pin_mine_none",
    "pin_comment",
    "pin_answer",
    "pin_answering",
    "pin_answered",
    "pin_state_received",
    "pin_state_approved",
    "pin_state_rejected",
    "pin_state_needs_info",
)

_STYLE = """
*{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,"Noto Sans Thai",Sarabun,
sans-serif;color:#1a1a1a;background:#f6f7f9}main{max-width:640px;margin:0 auto;padding:12px}
h1{font-size:1.3rem;margin:.2rem 0}p.intro{font-size:.9rem;color:#444;margin:.3rem 0 .8rem}
label{display:block;font-weight:600;margin:.7rem 0 .25rem}
select,input,textarea,button{font:inherit;width:100%;padding:.6rem;border:1px solid #9aa;
border-radius:8px;background:#fff}textarea{min-height:5rem}
.row{display:flex;gap:.6rem}.row>div{flex:1}
#map{height:42vh;min-height:240px;border-radius:8px;border:1px solid #9aa;margin-top:.4rem}
button{cursor:pointer;background:#e9f1f8;border-color:#2c7fb8;color:#174a6e;font-weight:600}
button.send{background:#2c7fb8;color:#fff;margin-top:1rem;padding:.8rem}
button:disabled{opacity:.6}.hint{font-size:.85rem;color:#555;margin:.2rem 0}
#status{margin-top:.8rem;padding:.6rem;border-radius:8px;display:none}
#status.ok{display:block;background:#e5f5e0;color:#1b5e20}
#status.err{display:block;background:#fde8e8;color:#8a1c1c}
#status.wait{display:block;background:#fff8e1;color:#6d4c00}
.who{font-size:.9rem;background:#e9f1f8;padding:.4rem .6rem;border-radius:8px}
ul#mine{padding-left:1.1rem;font-size:.9rem}ul#mine button{width:auto;margin:.3rem 0;
padding:.35rem .7rem}#answering{display:none;background:#fff8e1;color:#6d4c00;padding:.6rem;
border-radius:8px;margin:.6rem 0}#answering button{width:auto;margin-top:.4rem}
nav{text-align:right;font-size:.9rem}
"""

_SCRIPT = r"""
(function(){
const W=JSON.parse(document.getElementById('words').textContent);
const C=JSON.parse(document.getElementById('config').textContent);
const $=id=>document.getElementById(id);
const fmt=(s,v)=>s.replace(/\{(\w+)\}/g,(m,k)=>v[k]===undefined?m:String(v[k]));
const KEY='codi-pin-draft:'+C.scope, MINE='codi-pin-mine:'+C.scope;
const FIELDS=['kind','households','people','note','observed_on'];
function newId(){const b=new Uint8Array(16);crypto.getRandomValues(b);
  return Array.from(b,x=>x.toString(16).padStart(2,'0')).join('');}
function load(){try{return JSON.parse(localStorage.getItem(KEY))||{}}catch(e){return {}}}
let draft=load(); if(!draft.client_id){draft.client_id=newId();}
function save(){try{localStorage.setItem(KEY,JSON.stringify(draft))}catch(e){}}
function status(kind,text){const s=$('status');s.className=kind;s.textContent=text;}
FIELDS.forEach(f=>{const el=$(f);if(draft[f]!==undefined&&draft[f]!==null){el.value=draft[f];}
  el.addEventListener('input',()=>{draft[f]=el.value;save();});});
if(!$('observed_on').value){$('observed_on').value=C.today;draft.observed_on=C.today;}
const map=L.map('map',{tap:true}).setView([13.2,101.0],5);
L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png',{maxZoom:19,
  attribution:'&copy; OpenStreetMap'}).addTo(map);
let marker=null;
function where(){
  if(draft.latitude==null){$('point').textContent=W.pin_no_point;$('tambon').textContent='';return;}
  let text=draft.latitude.toFixed(5)+', '+draft.longitude.toFixed(5);
  if(draft.accuracy_m!=null){text+=' · '+fmt(W.pin_accuracy,{m:Math.round(draft.accuracy_m)});}
  $('point').textContent=text;
  fetch(C.base+'/pin/place?'+new URLSearchParams({lat:draft.latitude,lon:draft.longitude,
    c:C.token||''}),{credentials:'same-origin'}).then(r=>r.json()).then(j=>{
    $('tambon').textContent=j.ok?(W.pin_tambon+': '+j.name):(C.lang==='en'?j.error_en:j.error_th);
  }).catch(()=>{});
}
function place(lat,lon,acc){draft.latitude=lat;draft.longitude=lon;draft.accuracy_m=acc;save();
  if(marker){marker.setLatLng([lat,lon]);}else{marker=L.marker([lat,lon]).addTo(map);}
  where();}
if(draft.latitude!=null){place(draft.latitude,draft.longitude,draft.accuracy_m);
  map.setView([draft.latitude,draft.longitude],15);}else{where();}
map.on('click',e=>place(e.latlng.lat,e.latlng.lng,null));
$('gps').addEventListener('click',()=>{
  if(!navigator.geolocation){status('err',fmt(W.pin_gps_failed,{why:'-'}));return;}
  navigator.geolocation.getCurrentPosition(p=>{
    place(p.coords.latitude,p.coords.longitude,p.coords.accuracy);
    map.setView([p.coords.latitude,p.coords.longitude],16);
  },err=>status('err',fmt(W.pin_gps_failed,{why:err.message||err.code})),
  {enableHighAccuracy:true,timeout:20000,maximumAge:60000});});
function answering(){const a=$('answering');
  if(draft.answers){a.style.display='block';
    $('answering_text').textContent=fmt(W.pin_answering,{id:draft.answers_pin})+
      (draft.answers_comment?' · '+W.pin_comment+': '+draft.answers_comment:'');}
  else{a.style.display='none';}}
function answer(p){
  draft={client_id:newId(),answers:p.client_id,answers_pin:p.id,answers_comment:p.comment,
    kind:p.kind_id,
    households:p.households==null?'':String(p.households),
    people:p.people==null?'':String(p.people),note:p.note||'',observed_on:p.observed_on};
  FIELDS.forEach(f=>{$(f).value=draft[f]==null?'':draft[f];});save();
  if(p.latitude!=null){place(p.latitude,p.longitude,null);map.setView([p.latitude,p.longitude],15);}
  answering();$('pinform').scrollIntoView();}
function fresh(){draft={client_id:newId(),kind:draft.kind,observed_on:draft.observed_on};save();
  ['households','people','note'].forEach(f=>$(f).value='');$('photo').value='';
  if(marker){map.removeLayer(marker);marker=null;}where();answering();}
$('answer_cancel').addEventListener('click',fresh);
answering();
function mineIds(){try{return JSON.parse(localStorage.getItem(MINE))||[]}catch(e){return []}}
function showMine(){
  fetch(C.base+'/pin/mine?'+new URLSearchParams({c:C.token||'',ids:mineIds().join(',')}),
    {credentials:'same-origin'}).then(r=>r.json()).then(j=>{
    const ul=$('mine');ul.textContent='';
    if(!j.pins||!j.pins.length){const li=document.createElement('li');
      li.textContent=W.pin_mine_none;ul.appendChild(li);return;}
    j.pins.forEach(p=>{const li=document.createElement('li');
      let text='#'+p.id+' '+p.kind+' · '+p.tambon+' · '+p.observed_on+' · '+W['pin_state_'+p.state];
      if(p.comment){text+=' · '+W.pin_comment+': '+p.comment;}
      li.textContent=text;li.dataset.state=p.state;
      if(p.state==='needs_info'){const b=document.createElement('button');b.type='button';
        b.className='answer';b.textContent=W.pin_answer;b.dataset.pin=p.id;
        b.addEventListener('click',()=>answer(p));li.appendChild(document.createElement('br'));
        li.appendChild(b);}
      ul.appendChild(li);});
  }).catch(()=>{});}
showMine();
$('pinform').addEventListener('submit',ev=>{
  ev.preventDefault();const btn=$('send');btn.disabled=true;status('wait',W.pin_sending);
  const body=new FormData();body.append('client_id',draft.client_id);
  ['latitude','longitude','accuracy_m'].forEach(k=>{if(draft[k]!=null){body.append(k,draft[k]);}});
  FIELDS.forEach(f=>body.append(f,$(f).value));
  if(C.token){body.append('campaign',C.token);}
  if(draft.answers){body.append('answers',draft.answers);}
  const photo=$('photo').files[0];if(photo){body.append('photo',photo);}
  const ctrl=new AbortController();const timer=setTimeout(()=>ctrl.abort(),90000);
  fetch(C.base+'/pin/submit',{method:'POST',body:body,credentials:'same-origin',
    signal:ctrl.signal}).then(r=>r.json().then(j=>[r,j])).then(([r,j])=>{
    clearTimeout(timer);btn.disabled=false;
    if(r.ok&&j.ok){const ids=mineIds();
      if(!j.answered&&!ids.includes(draft.client_id)){ids.push(draft.client_id);}
      try{localStorage.setItem(MINE,JSON.stringify(ids.slice(-200)))}catch(e){}
      status('ok',fmt(j.answered?W.pin_answered:W.pin_sent,{id:j.id})+
        (j.tambon?' · '+j.tambon:''));
      fresh();showMine();}
    else{status('err',C.lang==='en'?j.error_en:j.error_th);}
  }).catch(()=>{clearTimeout(timer);btn.disabled=false;status('err',W.pin_not_sent);});
});
})();
"""


def _json_for_script(value: object) -> str:
    # Inside <script type="application/json">: no "</" may close the element early.
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def form_page(
    lang: str,
    *,
    who: str,
    kinds: Sequence[tuple[str, str]],
    token: str | None,
    scope: str,
    today: str,
    base: str,
    nonce: str,
) -> str:
    """The form for a sender allowed to pin: ``who`` says who pins (a campaign or a user),
    ``kinds`` are (id, name) pairs, ``token`` the campaign link's token when used."""
    e = html.escape
    words = {key: t(key, lang) for key in PIN_TEXT_KEYS}
    config = {"lang": lang, "token": token, "scope": scope, "today": today, "base": base}
    options = "".join(f'<option value="{e(k)}">{e(n)}</option>' for k, n in kinds)
    other = "en" if lang == "th" else "th"
    switch = f"?lang={other}" + (f"&c={e(token)}" if token else "")
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{e(t("pin_title", lang))}</title>
<link rel="stylesheet" href="{base}/app/static/vendor/leaflet/leaflet.css">
<style>{_STYLE}</style></head><body><main>
<nav><a href="{switch}">{e(LANGUAGE_NAMES[other])}</a></nav>
<h1>{e(t("pin_title", lang))}</h1>
<p class="who" id="who">{e(who)}</p>
<p class="intro">{e(t("pin_intro", lang))}</p>
<form id="pinform" novalidate>
<div id="answering" role="status"><span id="answering_text"></span><br>
<button type="button" id="answer_cancel">{e(t("pin_answer_cancel", lang))}</button></div>
<label for="kind">{e(t("pin_kind", lang))}</label><select id="kind" name="kind">{options}</select>
<label>{e(t("pin_where", lang))}</label>
<button type="button" id="gps">{e(t("pin_gps", lang))}</button>
<p class="hint">{e(t("pin_tap", lang))}</p>
<div id="map"></div>
<p class="hint"><span id="point"></span><br><strong id="tambon"></strong></p>
<div class="row"><div><label for="households">{e(t("pin_households", lang))}</label>
<input id="households" name="households" type="number" inputmode="numeric" min="0" max="100000">
</div><div><label for="people">{e(t("pin_people", lang))}</label>
<input id="people" name="people" type="number" inputmode="numeric" min="0" max="100000">
</div></div>
<label for="note">{e(t("pin_note", lang))}</label>
<textarea id="note" name="note" maxlength="1000"></textarea>
<p class="hint">{e(t("pin_note_help", lang))}</p>
<div class="row"><div><label for="observed_on">{e(t("pin_date", lang))}</label>
<input id="observed_on" name="observed_on" type="date" max="{e(today)}"></div>
<div><label for="photo">{e(t("pin_photo", lang))}</label>
<input id="photo" name="photo" type="file" accept="image/*"></div></div>
<button class="send" id="send" type="submit">{e(t("pin_send", lang))}</button>
<div id="status" role="status" aria-live="polite"></div>
</form>
<h2>{e(t("pin_mine", lang))}</h2><ul id="mine"></ul>
</main>
<script id="words" type="application/json">{_json_for_script(words)}</script>
<script id="config" type="application/json">{_json_for_script(config)}</script>
<script src="{base}/app/static/vendor/leaflet/leaflet.js"></script>
<script nonce="{nonce}">{_SCRIPT}</script>
</body></html>"""


def message_page(lang: str, title: str, message: str, link: tuple[str, str] | None = None) -> str:
    """A page that only says something (sign in first, a closed or forged campaign link)."""
    e = html.escape
    anchor = f'<p><a href="{e(link[0])}">{e(link[1])}</a></p>' if link else ""
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{e(title)}</title><style>{_STYLE}</style></head><body><main>
<h1>{e(title)}</h1><p id="message">{e(message)}</p>{anchor}</main></body></html>"""
