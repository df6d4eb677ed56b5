/* Material's storage helpers, from its partials/javascripts/base.html (mkdocs-material 9), which every page
   carried inline. Loaded from this file instead, the scope — the site's root, which Material keys its saved
   state by — is found from this file's own address: it lives two folders below the root. */
__md_scope=new URL("../..",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
