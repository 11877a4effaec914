import dagre from "@dagrejs/dagre";
const nodes = [{id:"a"},{id:"b",parent:"a"},{id:"c",parent:"a"},{id:"d",parent:"b"}];
const g = new dagre.graphlib.Graph();
g.setGraph({rankdir:"LR"}); g.setDefaultEdgeLabel(()=>({}));
for (const n of nodes) g.setNode(n.id,{width:200,height:44});
for (const n of nodes) if(n.parent) g.setEdge(n.parent,n.id);
dagre.layout(g, {customOrder:(ig, order)=>{ console.log(ig.nodes().map(v=>[v, JSON.stringify(ig.node(v))])); order(ig); console.log(ig.nodes().map(v=>[v, ig.node(v).order])); }});
console.log(g.nodes().map(v=>[v,g.node(v).x,g.node(v).y]));
