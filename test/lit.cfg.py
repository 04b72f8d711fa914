# -*- Python -*-
import os
import shutil

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "VAI"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".pbtxt"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py",
                   "run_node_tests.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.vai_obj_root, "test")

llvm_config.use_default_substitutions()
# FileCheck, not and count live in LLVM's tool dir, which Debian does not
# put on PATH.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.vai_tools_dir, append_path=True)

src = config.vai_src_root
config.substitutions.append(("%vai_src", src))
config.substitutions.append(("%vai_obj", config.vai_obj_root))
config.substitutions.append(("%examples", os.path.join(src, "examples")))
config.substitutions.append(("%inputs", os.path.join(src, "test", "Inputs")))
config.substitutions.append(("%shared_data", config.vai_shared_data))
config.substitutions.append(("%xir_proto", config.vai_xir_proto))
config.substitutions.append(("%tf_proto", config.vai_tf_proto))
config.substitutions.append(("%proto_dir", os.path.dirname(config.vai_xir_proto)))
config.substitutions.append(("%python", config.python3))
config.substitutions.append(("%protoc", config.protoc))

# Third-party models and reference runtimes (test/models), fetched by
# scripts/fetch-models.sh into <build>/third_party (or VAI_MODELS_DIR).
models = os.environ.get("VAI_MODELS_DIR",
                        os.path.join(config.vai_obj_root, "third_party"))
config.substitutions.append(("%models", models))
node = shutil.which("node")
config.substitutions.append(("%node", node or "node"))
config.environment["NODE_PATH"] = os.path.join(models, "npm", "node_modules")
if node and os.path.exists(os.path.join(models, ".complete")):
    config.available_features.add("third-party-models")
# Graphviz (scripts/setup.sh installs it) renders --xmodel-dot output.
if shutil.which("dot"):
    config.available_features.add("dot")

llvm_config.add_tool_substitutions(
    ["vai-opt", "vai-translate", "vai-compile"], [config.vai_tools_dir])
