#include "vmm/vm_control.hpp"

namespace vmc::vmm {

int exit_status(ExitReason reason) {
    switch (reason) {
    case ExitReason::None:
    case ExitReason::PowerOff:
        return 0;
    case ExitReason::Reset:
        return 3;
    case ExitReason::Fatal:
        return 4;
    case ExitReason::Timeout:
        return 5;
    case ExitReason::UserQuit:
        return 6;
    case ExitReason::Error:
        return 1;
    }
    return 1;
}

} // namespace vmc::vmm
