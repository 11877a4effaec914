import dagre from "@dagrejs/dagre";
function tree(n, branch=4) {
  const nodes = [{id:"n0", parent:null, depth:0}];
  for (let i=1;i<n;i++){ const p = nodes[Math.floor((i-1)/branch)]; nodes.push({id:"n"+i,parent:p.id,depth:p.depth+1}); }
  return nodes;
}
function deepTree(n) {
  const nodes=[{id:"n0",parent:null,depth:0}];
  for (let i=1;i<n;i++){ const p = nodes[Math.max(0, i - 1 - (i%7))]; nodes.push({id:"n"+i,parent:p.id,depth:p.depth+1}); }
  return nodes;
}
function realistic(n) { // root agent -> 10 steps -> each with llm/tool children depth 5-6
  const nodes=[{id:"n0",parent:null,depth:0}]; let i=1;
  while (nodes.length<n) { const p = nodes[Math.floor(Math.random()*nodes.length)]; if (p.depth<6) nodes.push({id:"n"+(i++),parent:p.id,depth:p.depth+1}); }
  return nodes;
}
// DFS order => per-rank order; tree edges never cross
function dfsOrder(nodes) {
  const kids = new Map(); for (const n of nodes) if (n.parent) { if(!kids.has(n.parent)) kids.set(n.parent,[]); kids.get(n.parent).push(n.id); }
  const counters = []; const order = new Map();
  const stack = nodes.filter(n=>!n.parent).map(n=>[n.id,0]).reverse();
  while (stack.length) { const [id,d]=stack.pop(); order.set(id, counters[d]=(counters[d]??-1)+1); const k=kids.get(id)??[]; for (let j=k.length-1;j>=0;j--) stack.push([k[j],d+1]); }
  return order;
}
for (let rep=0; rep<2; rep++)
for (const [name, nodes] of [["4ary", tree(1000)], ["deep", deepTree(1000)], ["flat", tree(1000, 1000)], ["rand", realistic(1000)]]) {
 const ord = dfsOrder(nodes);
 for (const opts of [{}, {ranker:"tight-tree"}, {ranker:"tight-tree", customOrder:(g)=>{ for (const v of g.nodes()) { const l=g.node(v); l.order = ord.get(l.dummy ? l.edgeObj.w : v) ?? 0; } }}, {ranker:"network-simplex", customOrder:(g)=>{ for (const v of g.nodes()) { const l=g.node(v); l.order = ord.get(l.dummy ? l.edgeObj.w : v) ?? 0; } }}]) {
  const t0=performance.now();
  const g = new dagre.graphlib.Graph();
  g.setGraph({rankdir:"LR", nodesep:12, ranksep:48, ranker: opts.ranker});
  g.setDefaultEdgeLabel(()=>({}));
  for (const n of nodes) g.setNode(n.id,{width:200,height:44});
  for (const n of nodes) if(n.parent) g.setEdge(n.parent,n.id);
  try { dagre.layout(g, opts); } catch(e) { console.log(name, JSON.stringify(Object.keys(opts)), "ERR", e.message); continue; }
  const maxd = Math.max(...nodes.map(n=>n.depth));
  if (rep) console.log(name, maxd, JSON.stringify(opts, (k,v)=>typeof v==="function"?"fn":v), (performance.now()-t0).toFixed(0),"ms", g.graph().width, g.graph().height);
 }
}
