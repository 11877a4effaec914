import dagre from "@dagrejs/dagre";
function tree(n, branch=4) {
  const nodes = [{id:"n0", parent:null, depth:0}];
  for (let i=1;i<n;i++){ const p = nodes[Math.floor((i-1)/branch)]; nodes.push({id:"n"+i,parent:p.id,depth:p.depth+1}); }
  return nodes;
}
function deepTree(n) { // like realistic trace: root with chains
  const nodes=[{id:"n0",parent:null,depth:0}];
  for (let i=1;i<n;i++){ const p = nodes[Math.max(0, i - 1 - (i%7))]; nodes.push({id:"n"+i,parent:p.id,depth:p.depth+1}); }
  return nodes;
}
for (const [name, nodes] of [["4ary", tree(1000)], ["deep", deepTree(1000)], ["flat", tree(1000, 1000)]]) {
 for (const opts of [{}, {ranker:"longest-path"}, {ranker:"longest-path", disableOptimalOrderHeuristic:true}, {ranker:"longest-path", customOrder:(g)=>{}}]) {
  const t0=performance.now();
  const g = new dagre.graphlib.Graph();
  g.setGraph({rankdir:"LR", nodesep:12, ranksep:48, ranker: opts.ranker});
  g.setDefaultEdgeLabel(()=>({}));
  for (const n of nodes) g.setNode(n.id,{width:200,height:44});
  for (const n of nodes) if(n.parent) g.setEdge(n.parent,n.id);
  try { dagre.layout(g, opts); } catch(e) { console.log(name, JSON.stringify(Object.keys(opts)), "ERR", e.message); continue; }
  const maxd = Math.max(...nodes.map(n=>n.depth));
  console.log(name, maxd, JSON.stringify(opts, (k,v)=>typeof v==="function"?"fn":v), (performance.now()-t0).toFixed(0),"ms", g.graph().width, g.graph().height);
 }
}
